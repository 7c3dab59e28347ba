/**
 * Issue 18, finding 5: password guessing against the default key store. SoftHSM2 never locks a PIN,
 * so Keyward counts failed logins in the registry (a kms call is a new process) and makes every
 * attempt after the third wait out a doubling window, without trying the password. The clock is
 * injected: the windows pass without sleeping.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../shared/contract';
import { CANARY_PASSWORD, createInitializedTestCore, createTestCore, disposeTestCore, type TestCore } from '../../support/test-core';

const STORE = 'kst-default';
/** Wrong passwords that contain the canary: grepping for it finds them too. */
const wrong = (n: number): string => `${CANARY_PASSWORD}x${n}`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('login back-off on the default key store (real SoftHSM2 + SQLite, injected clock)', () => {
  let clock = Date.now();
  const now = (): Date => new Date(clock);
  let t: TestCore;

  /** Audit records written since there were `before`, newest first. */
  async function newEvents(before: number): Promise<AuditEvent[]> {
    const { Events, TotalCount } = await t.call('ListAuditEvents', { PageSize: 100 });
    return Events.slice(0, TotalCount - before);
  }
  async function describeStore() {
    const [store] = (await t.call('DescribeKeyStores', { KeyStoreId: STORE })).KeyStores;
    if (!store) throw new Error('no default key store');
    return store;
  }
  const connect = (password: string) => t.core.dispatch('ConnectKeyStore', { KeyStoreId: STORE, KeyStorePassword: password }, { transport: 'internal' });

  beforeAll(async () => {
    t = await createInitializedTestCore({ now });
  });
  afterAll(async () => {
    await disposeTestCore(t);
  });

  it('refuses ConnectKeyStore on a connected store before looking at the password, and audits it as FAILURE', async () => {
    const before = (await t.call('ListAuditEvents', { PageSize: 1 })).TotalCount;
    for (const password of [wrong(0), CANARY_PASSWORD]) {
      const outcome = await connect(password);
      expect(outcome.ok, 'a connected store answered success to a password it did not check').toBe(false);
      if (!outcome.ok) expect(outcome.error.Code).toBe('Forbidden.KeyStoreState');
    }
    const added = await newEvents(before);
    expect(added.map((event) => `${event.Operation}:${event.Outcome}:${event.ErrorCode}`)).toEqual([
      'ConnectKeyStore:FAILURE:Forbidden.KeyStoreState',
      'ConnectKeyStore:FAILURE:Forbidden.KeyStoreState',
    ]);
    expect(await describeStore()).toMatchObject({ ConnectionState: 'CONNECTED', FailedLogins: 0, MaxFailedLogins: 0, LockedOut: false });
  });

  it('answers 20 wrong passwords in a tight loop with 3 real logins, then Throttling.LoginBackoff', async () => {
    await t.call('DisconnectKeyStore', { KeyStoreId: STORE });
    const before = (await t.call('ListAuditEvents', { PageSize: 1 })).TotalCount;
    const codes: string[] = [];
    for (let n = 1; n <= 20; n++) {
      const outcome = await connect(wrong(n));
      codes.push(outcome.ok ? 'OK' : outcome.error.Code);
      if (!outcome.ok && outcome.error.Code === 'Throttling.LoginBackoff') {
        expect(outcome.error.Message).toMatch(/Wait 1 s before/);
        expect(outcome.error.Message).not.toContain(CANARY_PASSWORD);
      }
    }
    expect(codes).toEqual([...Array<string>(3).fill('HsmError.PinIncorrect'), ...Array<string>(17).fill('Throttling.LoginBackoff')]);
    // One FAILURE record per attempt, with its code: 3 real logins refused by the token, 17 never tried.
    const added = await newEvents(before);
    expect(added).toHaveLength(20);
    expect(added.every((event) => event.Operation === 'ConnectKeyStore' && event.Outcome === 'FAILURE')).toBe(true);
    expect(added.filter((event) => event.ErrorCode === 'HsmError.PinIncorrect').map((event) => event.Details.FailedLogins)).toEqual([3, 2, 1]);
    expect(added.filter((event) => event.ErrorCode === 'Throttling.LoginBackoff')).toHaveLength(17);
    expect(await describeStore()).toMatchObject({ FailedLogins: 3, LockedOut: false, ConnectionState: 'FAILED', ConnectionErrorCode: 'INVALID_CREDENTIALS' });
  });

  it('refuses the right password inside the window too, and accepts it once the window has passed', async () => {
    const inside = await connect(CANARY_PASSWORD);
    expect(inside.ok ? 'OK' : inside.error.Code).toBe('Throttling.LoginBackoff');

    clock += 1_000; // the window after the third failure
    expect((await t.fail('ConnectKeyStore', { KeyStoreId: STORE, KeyStorePassword: wrong(21) })).Code).toBe('HsmError.PinIncorrect');
    const doubled = await connect(CANARY_PASSWORD);
    expect(doubled.ok ? 'OK' : doubled.error.Message).toMatch(/Wait 2 s before/);
    clock += 1_999;
    expect((await connect(CANARY_PASSWORD)).ok).toBe(false);
    clock += 1;

    const before = (await t.call('ListAuditEvents', { PageSize: 1 })).TotalCount;
    expect((await t.call('ConnectKeyStore', { KeyStoreId: STORE, KeyStorePassword: CANARY_PASSWORD })).ConnectionState).toBe('CONNECTED');
    expect(await describeStore()).toMatchObject({ ConnectionState: 'CONNECTED', ConnectionErrorCode: null, FailedLogins: 0, LockedOut: false });
    const added = await newEvents(before);
    expect(added.map((event) => [event.Operation, event.Outcome, event.Details])).toEqual([
      ['ConnectKeyStore', 'SUCCESS', {}],
      ['ConnectKeyStore', 'SUCCESS', { Step: 'LoginAccepted', FailedLoginsCleared: 4 }],
    ]);
  });

  it('lets no parallel attempt through unchecked: 20 at once get at most 3 real logins', async () => {
    await t.call('DisconnectKeyStore', { KeyStoreId: STORE });
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, n) => connect(wrong(100 + n))));
    const codes = outcomes.map((outcome) => (outcome.ok ? 'OK' : outcome.error.Code));
    const tried = codes.filter((code) => code === 'HsmError.PinIncorrect').length;
    expect(tried).toBeGreaterThanOrEqual(1);
    expect(tried).toBeLessThanOrEqual(3);
    // The others were refused without a login: one connection attempt at a time, then the back-off.
    expect(codes.filter((code) => code !== 'HsmError.PinIncorrect').every((code) => code === 'Forbidden.KeyStoreState' || code === 'Throttling.LoginBackoff')).toBe(true);
    expect((await describeStore()).FailedLogins).toBe(tried);
  });

  it('keeps the count when the core is closed and opened again on the same data directory', async () => {
    for (let failed = (await describeStore()).FailedLogins; failed < 3; failed++) {
      expect((await t.fail('ConnectKeyStore', { KeyStoreId: STORE, KeyStorePassword: wrong(200 + failed) })).Code).toBe('HsmError.PinIncorrect');
    }
    await t.close();
    t = await createTestCore(t.dataDir, { now });
    expect(await describeStore()).toMatchObject({ ConnectionState: 'DISCONNECTED', FailedLogins: 3 });
    const outcome = await connect(CANARY_PASSWORD);
    expect(outcome.ok ? 'OK' : outcome.error.Code).toBe('Throttling.LoginBackoff');
    clock += 1_000;
    await t.call('ConnectKeyStore', { KeyStoreId: STORE, KeyStorePassword: CANARY_PASSWORD });
    expect((await describeStore()).FailedLogins).toBe(0);
  });

  it('refuses a lockout policy and UnlockKeyStore on the default key store: it has no SO PIN', async () => {
    const policy = await t.fail('UpdateKeyStoreLoginPolicy', { KeyStoreId: STORE, MaxFailedLogins: 5 });
    expect(policy.Code).toBe('UnsupportedOperation');
    expect(policy.Message).toMatch(/SO PIN/);
    expect((await t.call('UpdateKeyStoreLoginPolicy', { KeyStoreId: STORE, MaxFailedLogins: 0 })).MaxFailedLogins).toBe(0);
    expect((await t.fail('UnlockKeyStore', { KeyStoreId: STORE, SoPin: 'any-so-pin' })).Code).toBe('UnsupportedOperation');
    expect((await t.fail('UpdateKeyStoreLoginPolicy', { KeyStoreId: 'kst-missing', MaxFailedLogins: 0 })).Code).toBe('NotFound.KeyStore');
  });

  it('keeps every password it was given out of the audit rows and the data directory', async () => {
    expect(JSON.stringify(await t.call('ListAuditEvents', { PageSize: 100 }))).not.toContain(CANARY_PASSWORD);
    const needles = [Buffer.from(CANARY_PASSWORD, 'utf8'), Buffer.from(CANARY_PASSWORD, 'utf16le')];
    for (const file of filesUnder(t.dataDir)) {
      const content = readFileSync(file);
      for (const needle of needles) expect(content.includes(needle), `${file} contains the password`).toBe(false);
    }
    expect((await t.call('VerifyAuditLog', {})).Valid).toBe(true);
  });
});
