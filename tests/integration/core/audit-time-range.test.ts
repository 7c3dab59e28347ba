import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInitializedTestCore, disposeTestCore, type TestCore } from '../../support/test-core';

/** ListAuditEvents' FromTime/ToTime on a real core whose clock the test moves. */
describe('audit time range (real SoftHSM2 + SQLite, controlled clock)', () => {
  let t: TestCore;
  let clock = Date.parse('2026-03-01T09:00:00Z');
  let keyId = '';

  beforeAll(async () => {
    t = await createInitializedTestCore({ now: () => new Date(clock) });
    clock = Date.parse('2026-03-01T10:00:00Z');
    keyId = (await t.call('CreateKey', { Description: 'range' })).KeyMetadata.KeyId;
    clock = Date.parse('2026-03-01T10:30:00Z');
    await t.call('Encrypt', { KeyId: keyId, Plaintext: 'aGVsbG8=' });
    clock = Date.parse('2026-03-01T11:00:00Z');
    await t.call('Encrypt', { KeyId: keyId, Plaintext: 'aGVsbG8=' });
  }, 60_000);

  afterAll(async () => {
    if (t) await disposeTestCore(t);
  });

  it('returns the events from FromTime (inclusive) to ToTime (exclusive), newest first, with their count', async () => {
    const page = await t.call('ListAuditEvents', { FromTime: '2026-03-01T10:00:00Z', ToTime: '2026-03-01T11:00:00Z' });
    expect(page.Events.map((event) => [event.Operation, event.Time])).toEqual([
      ['Encrypt', '2026-03-01T10:30:00.000Z'],
      ['CreateKey', '2026-03-01T10:00:00.000Z'],
    ]);
    expect(page.TotalCount).toBe(2);
  });

  it('takes either bound alone and combines with the other filters', async () => {
    const after = await t.call('ListAuditEvents', { FromTime: '2026-03-01T10:30:00Z', Filters: [{ Key: 'Operation', Values: ['Encrypt'] }] });
    expect(after.Events.map((event) => event.Time)).toEqual(['2026-03-01T11:00:00.000Z', '2026-03-01T10:30:00.000Z']);
    const before = await t.call('ListAuditEvents', { ToTime: '2026-03-01T10:00:00Z' });
    expect(before.TotalCount).toBeGreaterThan(0);
    expect(before.Events.every((event) => event.Time < '2026-03-01T10:00:00.000Z')).toBe(true);
  });

  it('refuses an end that is not after the start, and times that are not UTC', async () => {
    for (const input of [
      { FromTime: '2026-03-01T10:00:00Z', ToTime: '2026-03-01T10:00:00Z' },
      { FromTime: '2026-03-01T11:00:00Z', ToTime: '2026-03-01T10:00:00Z' },
      { FromTime: '2026-03-01T10:00:00+01:00' },
      { ToTime: '2026-02-30T00:00:00Z' },
    ]) {
      expect((await t.fail('ListAuditEvents', input)).Code, JSON.stringify(input)).toBe('InvalidParameter');
    }
  });
});
