import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTokenObjects, objectIdOf } from '../../support/pkcs11-tool';
import { CANARY_PASSWORD, createInitializedTestCore, disposeTestCore, type TestCore } from '../../support/test-core';
import { seedDate } from '../../support/seed-date';

const DAY = 86_400_000;
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('key lifecycle, versions, aliases and tags (real SoftHSM2 + SQLite, moving clock)', () => {
  let t: TestCore;
  let clock = Date.parse('2026-03-01T08:00:00.000Z');
  const advance = (ms: number): void => {
    clock += ms;
  };
  const createAes = async (extra: Record<string, unknown> = {}): Promise<string> =>
    (await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256', ...extra })).KeyMetadata.KeyId;

  beforeAll(async () => {
    t = await createInitializedTestCore({ now: () => new Date(clock) });
  });
  afterAll(async () => {
    await disposeTestCore(t);
  });

  it('Enabled ⇄ Disabled; a disabled key refuses Encrypt and Decrypt with Forbidden.KeyState', async () => {
    const keyId = await createAes();
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId: keyId, Plaintext: b64('before') });
    expect(await t.call('DisableKey', { KeyId: keyId })).toMatchObject({ KeyId: keyId, KeyState: 'Disabled', DeleteDate: '' });
    expect((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.KeyState).toBe('Disabled');
    expect((await t.fail('Encrypt', { KeyId: keyId, Plaintext: b64('x') })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('Decrypt', { CiphertextBlob })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('GenerateDataKey', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');
    expect((await t.call('EnableKey', { KeyId: keyId })).KeyState).toBe('Enabled');
    const decrypted = await t.call('Decrypt', { CiphertextBlob });
    expect(Buffer.from(decrypted.Plaintext, 'base64').toString()).toBe('before');
  });

  it('ScheduleKeyDeletion: 7-366 days, DeleteDate set, every use and state change refused, then cancelled', async () => {
    const keyId = await createAes();
    expect((await t.fail('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 6 })).Code).toBe('InvalidParameter');
    expect((await t.fail('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 367 })).Code).toBe('InvalidParameter');
    const scheduled = await t.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    expect(scheduled).toMatchObject({ KeyState: 'PendingDeletion', DeleteDate: seedDate(clock + 7 * DAY) });
    expect((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.DeleteDate).toBe(scheduled.DeleteDate);
    expect((await t.fail('Encrypt', { KeyId: keyId, Plaintext: b64('x') })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('EnableKey', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('DisableKey', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('CreateKeyVersion', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('CreateAlias', { KeyId: keyId, AliasName: 'alias/doomed' })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 30 })).Code).toBe('Forbidden.KeyState');

    expect(await t.call('CancelKeyDeletion', { KeyId: keyId })).toMatchObject({ KeyState: 'Enabled', DeleteDate: '' });
    expect((await t.fail('CancelKeyDeletion', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');
    await t.call('Encrypt', { KeyId: keyId, Plaintext: b64('usable again') });
  });

  it('a key pending import refuses use and state changes, and returns to PendingImport when its deletion is cancelled', async () => {
    const { KeyMetadata } = await t.call('CreateKey', { KeySpec: 'Aliyun_AES_128', Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true });
    expect(KeyMetadata).toMatchObject({ KeyState: 'PendingImport', Origin: 'EXTERNAL', PrimaryKeyVersion: '' });
    const keyId = KeyMetadata.KeyId;
    expect((await t.fail('Encrypt', { KeyId: keyId, Plaintext: b64('x') })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('GenerateDataKeyWithoutPlaintext', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('EnableKey', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('DisableKey', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('CreateKeyVersion', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');
    await t.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    expect((await t.call('CancelKeyDeletion', { KeyId: keyId })).KeyState).toBe('PendingImport');
  });

  it('due deletions destroy the HSM objects, tombstone the key, free its aliases and are audited', async () => {
    const keyId = await createAes({ Description: 'to be destroyed' });
    const versionId = (await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.PrimaryKeyVersion;
    await t.call('CreateAlias', { AliasName: 'alias/retiring', KeyId: keyId });
    await t.call('TagResource', { KeyId: keyId, Tags: [{ TagKey: 'owner', TagValue: 'ops' }] });
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId: keyId, Plaintext: b64('last words') });
    expect(listTokenObjects(t.dataDir, CANARY_PASSWORD).map((object) => object.id)).toContain(objectIdOf(versionId));
    await t.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });

    advance(7 * DAY - 60_000);
    expect((await t.core.runMaintenance()).deleted).not.toContain(keyId);
    advance(120_000);
    // Due: the destruction may be under way, so it can no longer be cancelled.
    expect((await t.fail('CancelKeyDeletion', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');
    const report = await t.core.runMaintenance();
    expect(report.deleted).toEqual([keyId]);
    expect(report.failed).toEqual([]);

    expect((await t.fail('DescribeKey', { KeyId: keyId })).Code).toBe('NotFound.Key');
    expect((await t.fail('DescribeKey', { KeyId: 'alias/retiring' })).Code).toBe('NotFound.Alias');
    expect((await t.fail('Decrypt', { CiphertextBlob })).Code).toBe('NotFound.Key');
    expect((await t.call('ListKeys', { Filters: [{ Key: 'Text', Values: ['to be destroyed'] }] })).TotalCount).toBe(0);
    expect(listTokenObjects(t.dataDir, CANARY_PASSWORD).map((object) => object.id)).not.toContain(objectIdOf(versionId));
    // The name is free again.
    const other = await createAes();
    await t.call('CreateAlias', { AliasName: 'alias/retiring', KeyId: other });

    const { Events } = await t.call('ListAuditEvents', { Filters: [{ Key: 'ResourceId', Values: [keyId] }], PageSize: 50 });
    const deletion = Events.find((event) => event.Operation === 'DeleteKey');
    expect(deletion).toMatchObject({ Outcome: 'SUCCESS', Actor: 'keyward:maintenance' });
    expect(deletion?.Details.HsmObjectsDestroyed).toBe(1);
  });

  it('CreateKeyVersion makes a new primary; Decrypt still opens blobs of every older version', async () => {
    const keyId = await createAes();
    const first = await t.call('Encrypt', { KeyId: keyId, Plaintext: b64('v1') });
    const { KeyVersion } = await t.call('CreateKeyVersion', { KeyId: keyId });
    expect(KeyVersion.KeyVersionId).not.toBe(first.KeyVersionId);
    const second = await t.call('Encrypt', { KeyId: keyId, Plaintext: b64('v2') });
    expect(second.KeyVersionId).toBe(KeyVersion.KeyVersionId);
    await t.call('CreateKeyVersion', { KeyId: keyId });
    for (const [blob, text] of [[first.CiphertextBlob, 'v1'], [second.CiphertextBlob, 'v2']] as const) {
      const { Plaintext, KeyVersionId } = await t.call('Decrypt', { CiphertextBlob: blob });
      expect(Buffer.from(Plaintext, 'base64').toString()).toBe(text);
      expect(KeyVersionId).toBe(text === 'v1' ? first.KeyVersionId : second.KeyVersionId);
    }
    const versions = await t.call('ListKeyVersions', { KeyId: keyId });
    expect(versions.TotalCount).toBe(3);
    expect(versions.KeyVersions[2]?.KeyVersionId).toBe(first.KeyVersionId);
    expect((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.PrimaryKeyVersion).toBe(versions.KeyVersions[0]?.KeyVersionId);
    const page = await t.call('ListKeyVersions', { KeyId: keyId, PageSize: 1, PageNumber: 3 });
    expect(page.KeyVersions.map((version) => version.KeyVersionId)).toEqual([first.KeyVersionId]);

    const ec = (await t.call('CreateKey', { KeySpec: 'EC_P256' })).KeyMetadata.KeyId;
    expect((await t.fail('CreateKeyVersion', { KeyId: ec })).Code).toBe('UnsupportedOperation');
    await t.call('DisableKey', { KeyId: keyId });
    expect((await t.fail('CreateKeyVersion', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');
  });

  it('rotates automatically when due and keeps the policy in the metadata', async () => {
    const { KeyMetadata } = await t.call('CreateKey', { KeySpec: 'Aliyun_AES_192', EnableAutomaticRotation: true, RotationInterval: '7d' });
    expect(KeyMetadata).toMatchObject({ AutomaticRotation: 'Enabled', RotationInterval: '7d', NextRotationDate: seedDate(clock + 7 * DAY) });
    const before = await t.call('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: b64('old') });

    advance(7 * DAY + 1000);
    const report = await t.core.runMaintenance();
    expect(report.rotated).toContain(KeyMetadata.KeyId);
    const rotated = (await t.call('DescribeKey', { KeyId: KeyMetadata.KeyId })).KeyMetadata;
    expect(rotated.PrimaryKeyVersion).not.toBe(KeyMetadata.PrimaryKeyVersion);
    expect(rotated.LastRotationDate).toBe(seedDate(clock));
    expect(rotated.NextRotationDate).toBe(seedDate(clock + 7 * DAY));
    expect((await t.call('Decrypt', { CiphertextBlob: before.CiphertextBlob })).KeyVersionId).toBe(KeyMetadata.PrimaryKeyVersion);
    expect((await t.core.runMaintenance()).rotated).not.toContain(KeyMetadata.KeyId);

    const off = await t.call('UpdateRotationPolicy', { KeyId: KeyMetadata.KeyId, EnableAutomaticRotation: false });
    expect(off).toMatchObject({ AutomaticRotation: 'Disabled', NextRotationDate: '' });
    const on = await t.call('UpdateRotationPolicy', { KeyId: KeyMetadata.KeyId, EnableAutomaticRotation: true, RotationInterval: '30d' });
    expect(on).toMatchObject({ AutomaticRotation: 'Enabled', RotationInterval: '30d', NextRotationDate: seedDate(clock + 30 * DAY) });
    expect((await t.fail('UpdateRotationPolicy', { KeyId: KeyMetadata.KeyId, EnableAutomaticRotation: true, RotationInterval: '1d' })).Code).toBe('InvalidParameter');
    const ec = (await t.call('CreateKey', { KeySpec: 'EC_P256K' })).KeyMetadata.KeyId;
    expect((await t.fail('UpdateRotationPolicy', { KeyId: ec, EnableAutomaticRotation: true })).Code).toBe('InvalidParameter');
    expect((await t.fail('CreateKey', { KeySpec: 'RSA_2048', EnableAutomaticRotation: true })).Code).toBe('InvalidParameter');
  });

  it('aliases: create, resolve by name and alias ARN, retarget, list, delete; names are checked', async () => {
    const first = await createAes();
    const second = await createAes();
    const created = await t.call('CreateAlias', { AliasName: 'alias/app/payroll_1', KeyId: first });
    expect(created.AliasArn).toMatch(/^acs:kms:[a-z0-9-]+:[0-9]{16}:alias\/app\/payroll_1$/);
    expect((await t.call('DescribeKey', { KeyId: 'alias/app/payroll_1' })).KeyMetadata.KeyId).toBe(first);
    expect((await t.call('DescribeKey', { KeyId: created.AliasArn })).KeyMetadata.KeyId).toBe(first);
    const viaAlias = await t.call('Encrypt', { KeyId: 'alias/app/payroll_1', Plaintext: b64('x') });
    expect(viaAlias.KeyId).toBe(first);

    expect((await t.fail('CreateAlias', { AliasName: 'alias/app/payroll_1', KeyId: second })).Code).toBe('AlreadyExists.Alias');
    expect((await t.fail('CreateAlias', { AliasName: 'alias/has space', KeyId: second })).Code).toBe('InvalidParameter');
    expect((await t.fail('CreateAlias', { AliasName: 'payroll', KeyId: second })).Code).toBe('InvalidParameter');
    expect((await t.fail('CreateAlias', { AliasName: 'alias/x', KeyId: '00000000-0000-4000-8000-000000000000' })).Code).toBe('NotFound.Key');

    await t.call('CreateAlias', { AliasName: 'alias/app/second-name', KeyId: first });
    const byKey = await t.call('ListAliasesByKeyId', { KeyId: first });
    expect(byKey.Aliases.map((alias) => alias.AliasName)).toEqual(['alias/app/payroll_1', 'alias/app/second-name']);
    expect((await t.call('ListKeys', { Filters: [{ Key: 'Text', Values: ['payroll_1'] }] })).Keys.map((key) => key.KeyId)).toEqual([first]);

    expect((await t.call('UpdateAlias', { AliasName: 'alias/app/payroll_1', KeyId: second })).KeyId).toBe(second);
    expect((await t.call('DescribeKey', { KeyId: 'alias/app/payroll_1' })).KeyMetadata.KeyId).toBe(second);
    expect((await t.fail('UpdateAlias', { AliasName: 'alias/never-made', KeyId: second })).Code).toBe('NotFound.Alias');

    const all = await t.call('ListAliases', { PageSize: 100 });
    expect(all.Aliases.map((alias) => alias.AliasName)).toEqual(expect.arrayContaining(['alias/app/payroll_1', 'alias/app/second-name']));
    await t.call('DeleteAlias', { AliasName: 'alias/app/payroll_1' });
    expect((await t.fail('DescribeKey', { KeyId: 'alias/app/payroll_1' })).Code).toBe('NotFound.Alias');
    expect((await t.fail('DeleteAlias', { AliasName: 'alias/app/payroll_1' })).Code).toBe('NotFound.Alias');
    expect((await t.call('DescribeKey', { KeyId: second })).KeyMetadata.KeyState).toBe('Enabled');
  });

  it('tags: add, overwrite, list, remove, filter ListKeys by tag; at most 20 per key', async () => {
    const keyId = await createAes();
    const other = await createAes();
    await t.call('TagResource', { KeyId: keyId, Tags: [{ TagKey: 'env', TagValue: 'prod' }, { TagKey: 'team', TagValue: 'pay' }] });
    await t.call('TagResource', { KeyId: other, Tags: [{ TagKey: 'env', TagValue: 'test' }] });
    await t.call('TagResource', { KeyId: keyId, Tags: [{ TagKey: 'team', TagValue: 'payments' }] });
    expect((await t.call('ListResourceTags', { KeyId: keyId })).Tags).toEqual([
      { TagKey: 'env', TagValue: 'prod' },
      { TagKey: 'team', TagValue: 'payments' },
    ]);
    const prod = await t.call('ListKeys', { Filters: [{ Key: 'Tag', Values: ['env=prod'] }] });
    expect(prod.Keys.map((key) => key.KeyId)).toEqual([keyId]);
    const anyEnv = await t.call('ListKeys', { Filters: [{ Key: 'Tag', Values: ['env'] }, { Key: 'KeyState', Values: ['Enabled'] }] });
    expect(anyEnv.Keys.map((key) => key.KeyId).sort()).toEqual([keyId, other].sort());

    await t.call('UntagResource', { KeyId: keyId, TagKeys: ['team', 'not-there'] });
    expect((await t.call('ListResourceTags', { KeyId: keyId })).Tags).toEqual([{ TagKey: 'env', TagValue: 'prod' }]);
    const many = Array.from({ length: 20 }, (_, index) => ({ TagKey: `k${index}`, TagValue: 'v' }));
    expect((await t.fail('TagResource', { KeyId: keyId, Tags: many })).Code).toBe('InvalidParameter');
    expect((await t.call('ListResourceTags', { KeyId: keyId })).Tags).toHaveLength(1);
    expect((await t.fail('TagResource', { KeyId: keyId, Tags: [{ TagKey: 'acs:reserved', TagValue: 'x' }] })).Code).toBe('InvalidParameter');
  });

  it('due work waits while the key store is locked and runs as soon as it connects', async () => {
    const keyId = await createAes();
    await t.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    advance(8 * DAY);
    await t.call('DisconnectKeyStore', { KeyStoreId: 'kst-default' });
    const locked = await t.core.runMaintenance();
    expect(locked.deleted).not.toContain(keyId);
    expect((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.KeyState).toBe('PendingDeletion');

    // Connecting starts a round by itself; nothing else triggers it here.
    await t.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: CANARY_PASSWORD });
    await expect.poll(async () => (await t.fail('DescribeKey', { KeyId: keyId }).catch(() => ({ Code: 'exists' }))).Code, { timeout: 10_000 }).toBe(
      'NotFound.Key',
    );
  });

  it('audits every state change in the same transaction, and the chain verifies', async () => {
    const { Events } = await t.call('ListAuditEvents', { PageSize: 100 });
    const operations = new Set(Events.map((event) => `${event.Operation}:${event.Outcome}`));
    for (const expected of [
      'DisableKey:SUCCESS',
      'EnableKey:SUCCESS',
      'ScheduleKeyDeletion:SUCCESS',
      'CancelKeyDeletion:SUCCESS',
      'CreateKeyVersion:SUCCESS',
      'RotateKey:SUCCESS',
      'UpdateRotationPolicy:SUCCESS',
      'CreateAlias:SUCCESS',
      'UpdateAlias:SUCCESS',
      'DeleteAlias:SUCCESS',
      'TagResource:SUCCESS',
      'UntagResource:SUCCESS',
      'CreateAlias:FAILURE',
      'TagResource:FAILURE',
    ]) {
      expect(operations, expected).toContain(expected);
    }
    expect((await t.call('VerifyAuditLog', {})).Valid).toBe(true);
  });
});
