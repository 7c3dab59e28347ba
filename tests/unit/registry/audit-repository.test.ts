import { describe, expect, it } from 'vitest';
import { AuditSecretError, GENESIS_HASH } from '../../../electron/main/registry';
import { freshRegistryPerTest, usageEvent } from './support';

const fresh = freshRegistryPerTest();

describe('audit repository', () => {
  it('appends chained records and returns them as stored', () => {
    const first = fresh.registry.audit.append({
      eventId: '11111111-1111-4111-8111-111111111111',
      time: '2025-01-01T00:00:00.000Z',
      operation: 'CreateKey',
      actor: 'officer',
      transport: 'cli',
      resourceId: 'key-1',
      outcome: 'SUCCESS',
      requestId: 'req-1',
      details: { KeySpec: 'RSA_2048', Bytes: 0, Rotated: false },
    });
    expect(first).toMatchObject({
      sequence: 1,
      eventId: '11111111-1111-4111-8111-111111111111',
      errorCode: null,
      detailsJson: '{"Bytes":0,"KeySpec":"RSA_2048","Rotated":false}',
      details: { KeySpec: 'RSA_2048', Bytes: 0, Rotated: false },
      previousHash: GENESIS_HASH,
    });
    const second = fresh.registry.audit.append(usageEvent(2, { outcome: 'FAILURE', errorCode: 'Forbidden.KeyState' }));
    expect(second.sequence).toBe(2);
    expect(second.previousHash).toBe(first.hash);
    expect(second.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(second.time)).not.toBeNaN();
    expect(fresh.registry.audit.get(1)).toEqual(first);
    expect(fresh.registry.audit.get(3)).toBeNull();
    expect(fresh.registry.audit.last()).toEqual(second);
    expect(fresh.registry.audit.verify()).toEqual({
      valid: true,
      checkedRecords: 2,
      firstBrokenSequence: null,
      reason: 'all 2 records are intact',
      lastSequence: 2,
      checkpoints: [],
    });
  });

  it('compares checkpoints kept elsewhere with the records they name, in the same snapshot as the chain', () => {
    const records = fresh.registry.audit.appendMany([usageEvent(1), usageEvent(2), usageEvent(3)]);
    const second = records[1]!;
    const checked = fresh.registry.audit.verify([
      { sequence: 2, hash: second.hash },
      { sequence: 2, hash: 'f'.repeat(64) },
      { sequence: 9, hash: second.hash },
    ]);
    expect(checked).toMatchObject({ valid: true, lastSequence: 3 });
    expect(checked.checkpoints.map((check) => check.status)).toEqual(['MATCH', 'MISMATCH', 'BEYOND_END']);
  });

  it('tells append listeners about every append, single or batched, until they unsubscribe', () => {
    let calls = 0;
    const unsubscribe = fresh.registry.audit.onAppend(() => (calls += 1));
    fresh.registry.audit.append(usageEvent(1));
    fresh.registry.audit.appendMany([usageEvent(2), usageEvent(3)]);
    fresh.registry.audit.appendMany([]);
    expect(calls).toBe(2);
    unsubscribe();
    fresh.registry.audit.append(usageEvent(4));
    expect(calls).toBe(2);
  });

  it('reports an empty log as valid', () => {
    expect(fresh.registry.audit.last()).toBeNull();
    expect(fresh.registry.audit.verify()).toMatchObject({ valid: true, checkedRecords: 0 });
    expect(fresh.registry.audit.list({ pageNumber: 1, pageSize: 10 })).toEqual({ rows: [], totalCount: 0 });
  });

  it('refuses details that look like secrets and writes nothing', () => {
    expect(() => fresh.registry.audit.append(usageEvent(1, { details: { KeyStorePassword: 'hunter22' } }))).toThrow(AuditSecretError);
    expect(() => fresh.registry.audit.appendMany([usageEvent(1), usageEvent(2, { details: { Plaintext: 'x' } })])).toThrow(AuditSecretError);
    expect(fresh.registry.audit.last()).toBeNull();
  });

  it('appends many records in one go, in order', () => {
    const rows = fresh.registry.audit.appendMany([usageEvent(1), usageEvent(2), usageEvent(3)]);
    expect(rows.map((row) => row.sequence)).toEqual([1, 2, 3]);
    expect(rows.map((row) => row.requestId)).toEqual(['req-1', 'req-2', 'req-3']);
    expect(fresh.registry.audit.appendMany([])).toEqual([]);
    expect(fresh.registry.audit.verify().valid).toBe(true);
  });

  it('reads ranges in ascending order for exports', () => {
    fresh.registry.audit.appendMany(Array.from({ length: 10 }, (_, index) => usageEvent(index)));
    expect(fresh.registry.audit.listRange(4, 3).map((row) => row.sequence)).toEqual([4, 5, 6]);
    expect(fresh.registry.audit.listRange(9, 100).map((row) => row.sequence)).toEqual([9, 10]);
  });

  it('lists newest first with IN filters and a total', () => {
    fresh.registry.audit.appendMany([
      usageEvent(1, { operation: 'CreateKey', resourceId: 'k1' }),
      usageEvent(2, { operation: 'Encrypt', resourceId: 'k1' }),
      usageEvent(3, { operation: 'Decrypt', resourceId: 'k2', outcome: 'FAILURE', errorCode: 'InvalidCiphertext' }),
      usageEvent(4, { operation: 'Encrypt', resourceId: 'k2', actor: 'auditor' }),
    ]);
    const sequences = (filters: { key: 'Operation' | 'ResourceId' | 'Outcome' | 'Actor'; values: string[] }[], pageNumber = 1, pageSize = 10) => {
      const page = fresh.registry.audit.list({ filters, pageNumber, pageSize });
      return { seq: page.rows.map((row) => row.sequence), total: page.totalCount };
    };
    expect(sequences([])).toEqual({ seq: [4, 3, 2, 1], total: 4 });
    expect(sequences([], 2, 3)).toEqual({ seq: [1], total: 4 });
    expect(sequences([{ key: 'Operation', values: ['Encrypt', 'Decrypt'] }])).toEqual({ seq: [4, 3, 2], total: 3 });
    expect(sequences([{ key: 'ResourceId', values: ['k1'] }])).toEqual({ seq: [2, 1], total: 2 });
    expect(sequences([{ key: 'Outcome', values: ['FAILURE'] }])).toEqual({ seq: [3], total: 1 });
    expect(sequences([{ key: 'Actor', values: ['auditor'] }, { key: 'Operation', values: ['Encrypt'] }])).toEqual({ seq: [4], total: 1 });
    expect(sequences([{ key: 'Actor', values: ["x' OR '1'='1"] }])).toEqual({ seq: [], total: 0 });
    expect(fresh.registry.audit.list({ pageNumber: 1, pageSize: 1 }).rows[0]?.details).toEqual({ Index: 4 });
  });

  it('lists a time range, start inclusive and end exclusive, through the time index', () => {
    const at = (index: number, time: string) => usageEvent(index, { time, operation: index === 3 ? 'Decrypt' : 'Encrypt' });
    fresh.registry.audit.appendMany([
      at(1, '2026-03-01T09:59:59.999Z'),
      at(2, '2026-03-01T10:00:00.000Z'),
      at(3, '2026-03-01T10:30:00.000Z'),
      at(4, '2026-03-01T11:00:00.000Z'),
    ]);
    const sequences = (query: { from?: string; to?: string; operation?: string }) => {
      const page = fresh.registry.audit.list({
        pageNumber: 1,
        pageSize: 10,
        from: query.from === undefined ? undefined : new Date(query.from),
        to: query.to === undefined ? undefined : new Date(query.to),
        filters: query.operation ? [{ key: 'Operation', values: [query.operation] }] : [],
      });
      return { seq: page.rows.map((row) => row.sequence), total: page.totalCount };
    };
    expect(sequences({ from: '2026-03-01T10:00:00Z', to: '2026-03-01T11:00:00Z' })).toEqual({ seq: [3, 2], total: 2 });
    expect(sequences({ from: '2026-03-01T10:00:00Z' })).toEqual({ seq: [4, 3, 2], total: 3 });
    expect(sequences({ to: '2026-03-01T10:00:00Z' })).toEqual({ seq: [1], total: 1 });
    expect(sequences({ from: '2026-03-01T10:00:00Z', operation: 'Encrypt' })).toEqual({ seq: [4, 2], total: 2 });
    const db = fresh.scratch.raw();
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM audit_events WHERE time >= ? AND time < ?").all('a', 'b');
    db.close();
    expect(JSON.stringify(plan)).toContain('audit_events_time');
  });

  it('cannot be rewritten through SQL by the app: the table is append-only', () => {
    fresh.registry.audit.append(usageEvent(1));
    const db = fresh.scratch.raw();
    expect(() => db.prepare("UPDATE audit_events SET actor = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    db.close();
  });
});
