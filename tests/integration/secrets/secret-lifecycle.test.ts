/**
 * Secrets Manager lifecycle on a real SoftHSM2 default key store and SQLite, with a moving clock:
 * deletion with a recovery window and restore, destruction by the maintenance sweep, forced
 * deletion, the CMK rules (KeyInUse, a disabled CMK, re-wrapping under a new CMK), tampering with
 * the stored rows, and GetRandomPassword.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_CHARACTER_TYPES } from '../../../electron/main/services/secrets/random-password';
import { createInitializedTestCore, disposeTestCore, type TestCore } from '../../support/test-core';
import { seedDate } from '../../support/seed-date';

const DAY = 86_400_000;

interface StoredVersion {
  id: string;
  wrappedKey: Buffer;
  sealedValue: Buffer;
}

describe('secret lifecycle, CMK rules and tampering (real SoftHSM2 + SQLite, moving clock)', () => {
  let t: TestCore;
  let db: Database.Database;
  let clock = Date.parse('2026-05-04T10:00:00.000Z');
  const createKey = async (KeySpec: 'Aliyun_AES_256' | 'EC_P256' | 'HMAC_SHA256' = 'Aliyun_AES_256'): Promise<string> =>
    (await t.call('CreateKey', { KeySpec })).KeyMetadata.KeyId;
  const versionsOf = (name: string): StoredVersion[] =>
    db
      .prepare<[string], StoredVersion>(
        `SELECT v.version_id AS id, v.wrapped_key AS wrappedKey, v.sealed_value AS sealedValue
           FROM secret_versions v JOIN secrets s ON s.id = v.secret_id WHERE s.name = ? ORDER BY v.sequence`,
      )
      .all(name);
  const writeVersion = (name: string, versionId: string, blobs: { wrappedKey?: Buffer; sealedValue?: Buffer }): void => {
    const secretId = db.prepare<[string], { id: string }>('SELECT id FROM secrets WHERE name = ?').get(name)?.id;
    if (blobs.wrappedKey) db.prepare('UPDATE secret_versions SET wrapped_key = ? WHERE secret_id = ? AND version_id = ?').run(blobs.wrappedKey, secretId, versionId);
    if (blobs.sealedValue) db.prepare('UPDATE secret_versions SET sealed_value = ? WHERE secret_id = ? AND version_id = ?').run(blobs.sealedValue, secretId, versionId);
  };
  const flipped = (buffer: Buffer, index: number): Buffer => {
    const copy = Buffer.from(buffer);
    copy[index] = (copy[index] ?? 0) ^ 0x01;
    return copy;
  };

  beforeAll(async () => {
    t = await createInitializedTestCore({ now: () => new Date(clock) });
    db = new Database(path.join(t.dataDir, 'registry.sqlite'));
    db.pragma('busy_timeout = 5000');
  });
  afterAll(async () => {
    db?.close();
    await disposeTestCore(t);
  });

  it('DeleteSecret schedules (default 30 days); meanwhile values, stages and updates are Forbidden.SecretState; RestoreSecret brings it back', async () => {
    await t.call('CreateSecret', { SecretName: 'life/one', SecretData: 'first', VersionId: 'v1' });
    const deleted = await t.call('DeleteSecret', { SecretName: 'life/one' });
    expect(deleted.PlannedDeleteTime).toBe(seedDate(clock + 30 * DAY));
    const described = await t.call('DescribeSecret', { SecretName: 'life/one' });
    expect(described).toMatchObject({ SecretState: 'PendingDeletion', PlannedDeleteTime: deleted.PlannedDeleteTime });
    const refused = [
      await t.fail('GetSecretValue', { SecretName: 'life/one' }),
      await t.fail('PutSecretValue', { SecretName: 'life/one', VersionId: 'v2', SecretData: 'x' }),
      await t.fail('UpdateSecretVersionStage', { SecretName: 'life/one', VersionStage: 'X', MoveToVersion: 'v1' }),
      await t.fail('UpdateSecret', { SecretName: 'life/one', Description: 'x' }),
      await t.fail('DeleteSecret', { SecretName: 'life/one', RecoveryWindowInDays: 7 }),
    ];
    expect(refused.map((error) => error.Code)).toEqual(Array(5).fill('Forbidden.SecretState'));
    expect((await t.fail('CreateSecret', { SecretName: 'life/one', SecretData: 'x', VersionId: 'v1' })).Code).toBe('AlreadyExists.Secret');
    const pending = await t.call('ListSecrets', { Filters: [{ Key: 'SecretState', Values: ['PendingDeletion'] }] });
    expect(pending.SecretList.map((secret) => secret.SecretName)).toEqual(['life/one']);

    expect(await t.call('RestoreSecret', { SecretName: 'life/one' })).toMatchObject({ SecretName: 'life/one' });
    expect(await t.call('DescribeSecret', { SecretName: 'life/one' })).toMatchObject({ SecretState: 'Enabled', PlannedDeleteTime: '' });
    expect((await t.call('GetSecretValue', { SecretName: 'life/one' })).SecretData).toBe('first');
    expect((await t.fail('RestoreSecret', { SecretName: 'life/one' })).Code).toBe('Forbidden.SecretState');
    for (const input of [{ RecoveryWindowInDays: 6 }, { RecoveryWindowInDays: 31 }, { RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true }]) {
      expect((await t.fail('DeleteSecret', { SecretName: 'life/one', ...input })).Code).toBe('InvalidParameter');
    }
  });

  it('the maintenance sweep destroys a secret when its window ends (audited); the name is free again', async () => {
    await t.call('CreateSecret', { SecretName: 'life/due', SecretData: 'old value', VersionId: 'v1' });
    await t.call('PutSecretValue', { SecretName: 'life/due', VersionId: 'v2', SecretData: 'newer' });
    await t.call('DeleteSecret', { SecretName: 'life/due', RecoveryWindowInDays: 7 });
    clock += 7 * DAY - 1000;
    expect((await t.core.runMaintenance()).secretsDestroyed).toEqual([]);
    clock += 1000;
    expect((await t.fail('RestoreSecret', { SecretName: 'life/due' })).Code).toBe('Forbidden.SecretState'); // due: too late
    expect((await t.core.runMaintenance()).secretsDestroyed).toEqual(['life/due']);
    expect((await t.fail('DescribeSecret', { SecretName: 'life/due' })).Code).toBe('NotFound.Secret');
    expect(db.prepare("SELECT count(*) AS n FROM secret_versions v WHERE NOT EXISTS (SELECT 1 FROM secrets s WHERE s.id = v.secret_id)").get()).toEqual({ n: 0 });
    const [destroyed] = (await t.call('ListAuditEvents', { Filters: [{ Key: 'Operation', Values: ['DestroySecret'] }] })).Events;
    expect(destroyed).toMatchObject({ Actor: 'keyward:maintenance', Outcome: 'SUCCESS', Details: { VersionsDestroyed: 2 } });
    expect(destroyed?.ResourceId).toMatch(/:secret\/life\/due$/);

    await t.call('CreateSecret', { SecretName: 'life/due', SecretData: 'reborn', VersionId: 'v1' });
    expect((await t.call('GetSecretValue', { SecretName: 'life/due', VersionId: 'v1' })).SecretData).toBe('reborn');
  });

  it('ForceDeleteWithoutRecovery destroys at once', async () => {
    await t.call('CreateSecret', { SecretName: 'life/force', SecretData: 'gone', VersionId: 'v1' });
    const deleted = await t.call('DeleteSecret', { SecretName: 'life/force', ForceDeleteWithoutRecovery: true });
    expect(deleted.PlannedDeleteTime).toBe(seedDate(clock));
    expect((await t.fail('GetSecretValue', { SecretName: 'life/force' })).Code).toBe('NotFound.Secret');
    expect((await t.fail('RestoreSecret', { SecretName: 'life/force' })).Code).toBe('NotFound.Secret');
    expect(versionsOf('life/force')).toEqual([]);
  });

  it('ScheduleKeyDeletion of a CMK that protects secrets is Forbidden.KeyInUse with the count, pending deletions included', async () => {
    const cmk = await createKey();
    await t.call('CreateSecret', { SecretName: 'inuse/a', SecretData: 'a', VersionId: 'v1', EncryptionKeyId: cmk });
    await t.call('CreateSecret', { SecretName: 'inuse/b', SecretData: 'b', VersionId: 'v1', EncryptionKeyId: cmk });
    await t.call('DeleteSecret', { SecretName: 'inuse/b' });
    const refused = await t.fail('ScheduleKeyDeletion', { KeyId: cmk, PendingWindowInDays: 7 });
    expect(refused.Code).toBe('Forbidden.KeyInUse');
    expect(refused.Message).toContain('protects 2 secrets');
    expect((await t.call('DescribeKey', { KeyId: cmk })).KeyMetadata.KeyState).toBe('Enabled');
    await t.call('DeleteSecret', { SecretName: 'inuse/a', ForceDeleteWithoutRecovery: true });
    expect((await t.fail('ScheduleKeyDeletion', { KeyId: cmk, PendingWindowInDays: 7 })).Message).toContain('protects 1 secret;');
    await t.call('DeleteSecret', { SecretName: 'inuse/b', ForceDeleteWithoutRecovery: true });
    expect((await t.call('ScheduleKeyDeletion', { KeyId: cmk, PendingWindowInDays: 7 })).KeyState).toBe('PendingDeletion');
    // A CMK being deleted protects nothing new.
    expect((await t.fail('CreateSecret', { SecretName: 'inuse/c', SecretData: 'c', VersionId: 'v1', EncryptionKeyId: cmk })).Code).toBe('Forbidden.KeyState');
  });

  it('a disabled CMK makes its secrets unreadable (Forbidden.KeyState) until enabled; the CMK must be a symmetric ENCRYPT/DECRYPT key', async () => {
    const cmk = await createKey();
    await t.call('CreateSecret', { SecretName: 'cmk/disabled', SecretData: 'locked', VersionId: 'v1', EncryptionKeyId: cmk });
    await t.call('DisableKey', { KeyId: cmk });
    expect((await t.fail('GetSecretValue', { SecretName: 'cmk/disabled' })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('PutSecretValue', { SecretName: 'cmk/disabled', VersionId: 'v2', SecretData: 'x' })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('PutSecretValue', { SecretName: 'cmk/disabled', VersionId: 'v1', SecretData: 'locked' })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('UpdateSecret', { SecretName: 'cmk/disabled', EncryptionKeyId: await createKey() })).Code).toBe('Forbidden.KeyState');
    await t.call('EnableKey', { KeyId: cmk });
    expect((await t.call('GetSecretValue', { SecretName: 'cmk/disabled' })).SecretData).toBe('locked');

    for (const spec of ['EC_P256', 'HMAC_SHA256'] as const) {
      const wrong = await createKey(spec);
      expect((await t.fail('CreateSecret', { SecretName: 'cmk/wrong', SecretData: 'x', VersionId: 'v1', EncryptionKeyId: wrong })).Code).toBe('Forbidden.KeyUsage');
      expect((await t.fail('UpdateSecret', { SecretName: 'cmk/disabled', EncryptionKeyId: wrong })).Code).toBe('Forbidden.KeyUsage');
    }
    expect((await t.fail('CreateSecret', { SecretName: 'cmk/wrong', SecretData: 'x', VersionId: 'v1', EncryptionKeyId: 'alias/none' })).Code).toBe('NotFound.Alias');
  });

  it('UpdateSecret with a new CMK re-wraps every data key (sealed values untouched); the old CMK is then free', async () => {
    const oldCmk = await createKey();
    const newCmk = await createKey();
    await t.call('CreateSecret', { SecretName: 'rewrap/me', SecretData: 'alpha', VersionId: 'v1', EncryptionKeyId: oldCmk });
    await t.call('PutSecretValue', { SecretName: 'rewrap/me', VersionId: 'v2', SecretData: 'beta' });
    await t.call('PutSecretValue', { SecretName: 'rewrap/me', VersionId: 'v3', SecretData: 'gamma', VersionStages: ['Next'] });
    const before = versionsOf('rewrap/me');
    const updated = await t.call('UpdateSecret', { SecretName: 'rewrap/me', EncryptionKeyId: newCmk, Description: 'moved' });
    expect(updated).toMatchObject({ SecretName: 'rewrap/me', EncryptionKeyId: newCmk });
    const after = versionsOf('rewrap/me');
    expect(after.map((version) => version.id)).toEqual(['v1', 'v2', 'v3']);
    after.forEach((version, index) => {
      expect(version.sealedValue.equals(before[index]!.sealedValue)).toBe(true);
      expect(version.wrappedKey.equals(before[index]!.wrappedKey)).toBe(false);
      expect(version.wrappedKey.subarray(3, 19).toString('hex')).toBe(newCmk.replace(/-/g, '')); // the blob names the new CMK
    });
    for (const [versionId, value] of [['v1', 'alpha'], ['v2', 'beta'], ['v3', 'gamma']] as const) {
      expect((await t.call('GetSecretValue', { SecretName: 'rewrap/me', VersionId: versionId })).SecretData).toBe(value);
    }
    expect(await t.call('DescribeSecret', { SecretName: 'rewrap/me' })).toMatchObject({ EncryptionKeyId: newCmk, Description: 'moved' });
    // The old CMK no longer opens anything of the secret and may go.
    await t.call('DisableKey', { KeyId: oldCmk });
    expect((await t.call('GetSecretValue', { SecretName: 'rewrap/me' })).SecretData).toBe('beta');
    expect((await t.call('ScheduleKeyDeletion', { KeyId: oldCmk, PendingWindowInDays: 7 })).KeyState).toBe('PendingDeletion');
    const audit = (await t.call('ListAuditEvents', { Filters: [{ Key: 'Operation', Values: ['UpdateSecret'] }] })).Events[0];
    expect(audit?.Details).toMatchObject({ EncryptionKeyId: newCmk, PreviousEncryptionKeyId: oldCmk, VersionsRewrapped: 3 });
    // Description alone touches no data key.
    await t.call('UpdateSecret', { SecretName: 'rewrap/me', Description: 'again' });
    expect(versionsOf('rewrap/me').map((version) => version.wrappedKey.toString('hex'))).toEqual(after.map((version) => version.wrappedKey.toString('hex')));
  });

  it('tampering with a sealed value or a wrapped data key, or swapping them between versions or secrets, is InvalidCiphertext', async () => {
    await t.call('CreateSecret', { SecretName: 'tamper/a', SecretData: 'value A1', VersionId: 'v1' });
    await t.call('PutSecretValue', { SecretName: 'tamper/a', VersionId: 'v2', SecretData: 'value A2' });
    await t.call('CreateSecret', { SecretName: 'tamper/b', SecretData: 'value B1', VersionId: 'v1' });
    const [a1, a2] = versionsOf('tamper/a');
    const [b1] = versionsOf('tamper/b');
    if (!a1 || !a2 || !b1) throw new Error('versions missing');
    const read = (name: string, versionId: string) => t.fail('GetSecretValue', { SecretName: name, VersionId: versionId });
    const attempts: [string, () => void, string, string][] = [
      ['a byte of the IV', () => writeVersion('tamper/a', 'v1', { sealedValue: flipped(a1.sealedValue, 0) }), 'tamper/a', 'v1'],
      ['a byte of the ciphertext', () => writeVersion('tamper/a', 'v1', { sealedValue: flipped(a1.sealedValue, 14) }), 'tamper/a', 'v1'],
      ['a byte of the tag', () => writeVersion('tamper/a', 'v1', { sealedValue: flipped(a1.sealedValue, a1.sealedValue.length - 1) }), 'tamper/a', 'v1'],
      ['a truncated value', () => writeVersion('tamper/a', 'v1', { sealedValue: a1.sealedValue.subarray(0, 29) }), 'tamper/a', 'v1'],
      ['a byte of the wrapped key', () => writeVersion('tamper/a', 'v1', { wrappedKey: flipped(a1.wrappedKey, a1.wrappedKey.length - 5) }), 'tamper/a', 'v1'],
      ['the wrapped key header', () => writeVersion('tamper/a', 'v1', { wrappedKey: flipped(a1.wrappedKey, 20) }), 'tamper/a', 'v1'],
      ['wrapped keys swapped between versions', () => writeVersion('tamper/a', 'v1', { wrappedKey: a2.wrappedKey }), 'tamper/a', 'v1'],
      ['sealed values swapped between versions', () => writeVersion('tamper/a', 'v1', { sealedValue: a2.sealedValue }), 'tamper/a', 'v1'],
      ['a whole version moved to another secret', () => writeVersion('tamper/b', 'v1', { wrappedKey: a1.wrappedKey, sealedValue: a1.sealedValue }), 'tamper/b', 'v1'],
    ];
    for (const [what, tamper, name, versionId] of attempts) {
      tamper();
      expect((await read(name, versionId)).Code, what).toBe('InvalidCiphertext');
      writeVersion('tamper/a', 'v1', { wrappedKey: a1.wrappedKey, sealedValue: a1.sealedValue });
      writeVersion('tamper/b', 'v1', { wrappedKey: b1.wrappedKey, sealedValue: b1.sealedValue });
    }
    // An idempotent retry opens the stored version too: a damaged one is refused, not compared.
    writeVersion('tamper/a', 'v2', { sealedValue: flipped(a2.sealedValue, 14) });
    expect((await t.fail('PutSecretValue', { SecretName: 'tamper/a', VersionId: 'v2', SecretData: 'value A2' })).Code).toBe('InvalidCiphertext');
    writeVersion('tamper/a', 'v2', { sealedValue: a2.sealedValue });
    expect((await t.call('GetSecretValue', { SecretName: 'tamper/a', VersionId: 'v1' })).SecretData).toBe('value A1');
    expect((await t.call('GetSecretValue', { SecretName: 'tamper/b' })).SecretData).toBe('value B1');
  });

  it("GetRandomPassword draws from the HSM's generator with the exclusion options", async () => {
    const plain = (await t.call('GetRandomPassword', {})).RandomPassword;
    expect(plain).toHaveLength(32);
    for (const characters of Object.values(PASSWORD_CHARACTER_TYPES)) expect([...plain].some((c) => characters.includes(c))).toBe(true);
    const digitsOnly = (await t.call('GetRandomPassword', { PasswordLength: 128, ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true, ExcludeCharacters: '0' })).RandomPassword;
    expect(digitsOnly).toMatch(/^[1-9]{128}$/);
    const noLookalikes = (await t.call('GetRandomPassword', { PasswordLength: 64, ExcludeCharacters: 'Il1O0', ExcludePunctuation: true })).RandomPassword;
    expect(noLookalikes).toMatch(/^[A-HJ-NP-Za-km-z2-9]{64}$/);
    expect((await t.call('GetRandomPassword', { PasswordLength: 8 })).RandomPassword).toHaveLength(8);
    const many = new Set(await Promise.all(Array.from({ length: 20 }, async () => (await t.call('GetRandomPassword', {})).RandomPassword)));
    expect(many.size).toBe(20);
    expect((await t.fail('GetRandomPassword', { ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true })).Code).toBe('InvalidParameter');
    expect((await t.fail('GetRandomPassword', { PasswordLength: 7 })).Code).toBe('InvalidParameter');
    expect((await t.fail('GetRandomPassword', { ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true, ExcludeCharacters: '012345678' })).Code).toBe('InvalidParameter');
  });

  it('the audit chain verifies, and a disconnected default key store refuses GetRandomPassword and secret values', async () => {
    expect((await t.call('VerifyAuditLog', {})).Valid).toBe(true);
    await t.call('DisconnectKeyStore', { KeyStoreId: 'kst-default' });
    expect((await t.fail('GetRandomPassword', {})).Code).toBe('Forbidden.KeyStoreState');
    expect((await t.fail('GetSecretValue', { SecretName: 'life/one' })).Code).toBe('Forbidden.KeyStoreState');
    expect((await t.fail('CreateSecret', { SecretName: 'offline', SecretData: 'x', VersionId: 'v1' })).Code).toBe('Forbidden.KeyStoreState');
    expect((await t.call('DescribeSecret', { SecretName: 'life/one' })).SecretName).toBe('life/one'); // metadata needs no HSM
  });
});
