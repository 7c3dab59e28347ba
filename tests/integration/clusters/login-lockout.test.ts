/**
 * Issue 18, finding 5, on a cluster key store (a one-HSM lab cluster on a real SoftHSM2 token):
 * ConnectKeyStore refuses a connected store before the password, failed kmsuser logins back off and
 * lock the store after MaxFailedLogins (its cluster's credentials, whichever operation tried them),
 * and UnlockKeyStore clears the lockout with the SO PIN, itself counted when wrong.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../shared/contract';
import { bringUpKeyStore, createClusterWithMembers, KMSUSER_PASSWORD, SO_PIN, softHsmMember, type ClusterSetUp } from '../../support/cluster-flow';
import { createSoftHsmFixture, type SoftHsmFixture } from '../../support/softhsm';
import { CANARY_PASSWORD, createTestCore, removeDir, type TestCore } from '../../support/test-core';

/** Wrong passwords and PINs that contain the canary: grepping for it finds them too. */
const wrong = (n: number): string => `${CANARY_PASSWORD}k${n}`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('login lockout of a cluster key store (lab cluster, real SoftHSM2)', () => {
  let clock = Date.now();
  const now = (): Date => new Date(clock);
  let t: TestCore;
  let fixture: SoftHsmFixture;
  let setUp: ClusterSetUp;
  let keyStoreId = '';

  const code = async (name: string, input: Record<string, unknown>): Promise<string> => {
    const outcome = await t.core.dispatch(name, input, { transport: 'internal' });
    return outcome.ok ? 'OK' : outcome.error.Code;
  };
  const connectWith = (password: string): Promise<string> => code('ConnectKeyStore', { KeyStoreId: keyStoreId, KeyStorePassword: password });
  async function describeStore() {
    const [store] = (await t.call('DescribeKeyStores', { KeyStoreId: keyStoreId })).KeyStores;
    if (!store) throw new Error('no key store');
    return store;
  }
  async function newEvents(before: number): Promise<AuditEvent[]> {
    const { Events, TotalCount } = await t.call('ListAuditEvents', { PageSize: 100 });
    return Events.slice(0, TotalCount - before);
  }
  const eventCount = async (): Promise<number> => (await t.call('ListAuditEvents', { PageSize: 100 })).TotalCount;

  beforeAll(async () => {
    t = await createTestCore(undefined, { now });
    fixture = await createSoftHsmFixture();
    setUp = await createClusterWithMembers(t, 'lockout-lab', [softHsmMember(fixture, 'zone-a')], true);
    keyStoreId = (await bringUpKeyStore(t, setUp, 'lockout-store')).keyStoreId;
  });
  afterAll(async () => {
    await t.close();
    await fixture.cleanup();
    removeDir(t.dataDir);
  });

  it('refuses ConnectKeyStore while connected, before the password, and audits it as FAILURE', async () => {
    const before = await eventCount();
    expect(await connectWith(wrong(0))).toBe('Forbidden.KeyStoreState');
    expect(await connectWith(KMSUSER_PASSWORD)).toBe('Forbidden.KeyStoreState');
    expect((await newEvents(before)).map((event) => `${event.Operation}:${event.Outcome}:${event.ErrorCode}`)).toEqual([
      'ConnectKeyStore:FAILURE:Forbidden.KeyStoreState',
      'ConnectKeyStore:FAILURE:Forbidden.KeyStoreState',
    ]);
    expect(await describeStore()).toMatchObject({ ConnectionState: 'CONNECTED', FailedLogins: 0, MaxFailedLogins: 10, LockedOut: false });
  });

  it('counts a wrong kmsuser password in any operation and locks after MaxFailedLogins', async () => {
    expect((await t.call('UpdateKeyStoreLoginPolicy', { KeyStoreId: keyStoreId, MaxFailedLogins: 4 })).MaxFailedLogins).toBe(4);
    expect((await t.fail('UpdateKeyStoreLoginPolicy', { KeyStoreId: keyStoreId, MaxFailedLogins: 101 })).Code).toBe('InvalidParameter');
    await t.call('DisconnectKeyStore', { KeyStoreId: keyStoreId });

    // Three free failures, through three operations that check the same kmsuser password.
    expect(await connectWith(wrong(1))).toBe('HsmError.PinIncorrect');
    expect(await code('ChangeCryptoUserPassword', { ClusterId: setUp.clusterId, UserName: 'kmsuser', OldPassword: wrong(2), NewPassword: 'Another2026pw' })).toBe(
      'HsmError.PinIncorrect',
    );
    expect(await connectWith(wrong(3))).toBe('HsmError.PinIncorrect');
    expect(await connectWith(KMSUSER_PASSWORD)).toBe('Throttling.LoginBackoff');
    expect(await describeStore()).toMatchObject({ FailedLogins: 3, LockedOut: false });

    clock += 1_000;
    const fourth = await t.fail('ConnectKeyStore', { KeyStoreId: keyStoreId, KeyStorePassword: wrong(4) });
    expect(fourth.Code).toBe('HsmError.PinIncorrect');
    expect(fourth.Message).toMatch(/now locked/);
    expect(await describeStore()).toMatchObject({ ConnectionState: 'FAILED', ConnectionErrorCode: 'USER_LOCKED_OUT', FailedLogins: 4, MaxFailedLogins: 4, LockedOut: true });

    clock += 10 * 60_000; // long past any back-off window: the lockout stays
    const locked = await t.fail('ConnectKeyStore', { KeyStoreId: keyStoreId, KeyStorePassword: KMSUSER_PASSWORD });
    expect(locked.Code).toBe('HsmError.PinLocked');
    expect(locked.Message).toMatch(/UnlockKeyStore/);
    expect(await code('ChangeCryptoUserPassword', { ClusterId: setUp.clusterId, UserName: 'kmsuser', OldPassword: KMSUSER_PASSWORD, NewPassword: 'Another2026pw' })).toBe(
      'HsmError.PinLocked',
    );
    expect((await describeStore()).FailedLogins).toBe(4); // refused attempts are not tried, so not counted
  });

  it('unlocks with the SO PIN; a wrong SO PIN is counted and audited', async () => {
    const before = await eventCount();
    expect(await code('UnlockKeyStore', { KeyStoreId: keyStoreId, SoPin: wrong(5) })).toBe('HsmError.PinIncorrect');
    expect(await describeStore()).toMatchObject({ FailedLogins: 5, LockedOut: true });
    expect(await code('UnlockKeyStore', { KeyStoreId: keyStoreId, SoPin: SO_PIN })).toBe('Throttling.LoginBackoff');

    clock += 4_000; // the window after five failures
    const unlocked = await t.call('UnlockKeyStore', { KeyStoreId: keyStoreId, SoPin: SO_PIN });
    expect(unlocked).toMatchObject({ KeyStoreId: keyStoreId, FailedLogins: 0, LockedOut: false });
    expect(await describeStore()).toMatchObject({ FailedLogins: 0, LockedOut: false });
    expect((await newEvents(before)).map((event) => [event.Operation, event.Outcome, event.ErrorCode, event.Details])).toEqual([
      ['UnlockKeyStore', 'SUCCESS', '', { FailedLoginsCleared: 5, Unlocked: true }],
      ['UnlockKeyStore', 'FAILURE', 'Throttling.LoginBackoff', {}],
      ['UnlockKeyStore', 'FAILURE', 'HsmError.PinIncorrect', { FailedLogins: 5, LockedOut: true }],
    ]);

    expect(await connectWith(KMSUSER_PASSWORD)).toBe('OK');
    expect(await describeStore()).toMatchObject({ ConnectionState: 'CONNECTED', ConnectionErrorCode: null, LockedOut: false });
  });

  it('counts parallel attempts one by one, across operations: 20 at once get 3 real checks', async () => {
    const change = (n: number) => code('ChangeCryptoUserPassword', { ClusterId: setUp.clusterId, UserName: 'kmsuser', OldPassword: wrong(10 + n), NewPassword: 'Another2026pw' });
    const codes = await Promise.all(Array.from({ length: 20 }, (_, n) => change(n)));
    expect(codes.filter((answer) => answer === 'HsmError.PinIncorrect')).toHaveLength(3);
    expect(codes.filter((answer) => answer === 'Throttling.LoginBackoff')).toHaveLength(17);
    expect(await describeStore()).toMatchObject({ ConnectionState: 'CONNECTED', FailedLogins: 3, LockedOut: false });
  });

  it('keeps every password and PIN it was given out of the audit rows and the data directory', async () => {
    expect(JSON.stringify(await t.call('ListAuditEvents', { PageSize: 100 }))).not.toContain(CANARY_PASSWORD);
    const needles = [Buffer.from(CANARY_PASSWORD, 'utf8'), Buffer.from(CANARY_PASSWORD, 'utf16le')];
    for (const file of filesUnder(t.dataDir)) {
      const content = readFileSync(file);
      for (const needle of needles) expect(content.includes(needle), `${file} contains a password`).toBe(false);
    }
    expect((await t.call('VerifyAuditLog', {})).Valid).toBe(true);
  });
});
