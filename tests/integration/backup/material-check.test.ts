/**
 * VerifyKeyStoreMaterial on the default key store (real SoftHSM2 token, real SQLite): every version
 * of every spec passes its round trip; a version whose object was destroyed behind Keyward's back
 * is MISSING and a version whose CKA_ID now names a different kind of key FAILED_ROUND_TRIP, each
 * exactly that version; a disconnected store is refused. No usage records, one audit record.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeySpec, KeyUsage } from '../../../shared/contract';
import { HsmModuleClient } from '../../../electron/main/hsm/client';
import { createNodeWorkerLauncher } from '../../../electron/main/hsm/node-launcher';
import { keyObjectLabel } from '../../../electron/main/services/clusters/cluster-objects';
import { objectIdOfVersion } from '../../../electron/main/services/keys/key-identifiers';
import { SOFTHSM_MODULE_PATH } from '../../support/softhsm';
import { CANARY_PASSWORD, createInitializedTestCore, createTestCore, disposeTestCore, type TestCore } from '../../support/test-core';

const STORE = 'kst-default';
const DAY = 86_400_000;

const SPECS: ReadonlyArray<{ spec: KeySpec; usage: KeyUsage }> = [
  { spec: 'Aliyun_AES_256', usage: 'ENCRYPT/DECRYPT' },
  { spec: 'Aliyun_AES_128', usage: 'ENCRYPT/DECRYPT' },
  { spec: 'RSA_2048', usage: 'SIGN/VERIFY' },
  { spec: 'RSA_2048', usage: 'ENCRYPT/DECRYPT' },
  { spec: 'EC_P256', usage: 'SIGN/VERIFY' },
  { spec: 'EC_P256K', usage: 'SIGN/VERIFY' },
  { spec: 'EC_ED25519', usage: 'SIGN/VERIFY' },
  { spec: 'HMAC_SHA256', usage: 'GENERATE/VERIFY_MAC' },
  { spec: 'HMAC_SHA512', usage: 'GENERATE/VERIFY_MAC' },
];

describe('VerifyKeyStoreMaterial', () => {
  let t: TestCore;
  let clock = Date.parse('2026-07-01T09:00:00.000Z');
  const now = (): Date => new Date(clock);
  let serial = '';
  const keyIds = new Map<string, string>();
  let expectedChecked = 0;
  let rotatedKeyId = '';
  let olderVersionId = '';
  let hmacVersionId = '';
  let rsaSignVersionId = '';

  const auditCount = async (): Promise<number> => (await t.call('ListAuditEvents', { PageSize: 1 })).TotalCount;

  beforeAll(async () => {
    t = await createInitializedTestCore({ now });
    const events = await t.call('ListAuditEvents', { Filters: [{ Key: 'Operation', Values: ['InitializeDefaultKeyStore'] }] });
    serial = String(events.Events[0]?.Details.TokenSerial ?? '');
    for (const { spec, usage } of SPECS) {
      keyIds.set(`${spec} ${usage}`, (await t.call('CreateKey', { KeySpec: spec, KeyUsage: usage })).KeyMetadata.KeyId);
    }
    // Several versions of one key: each is checked on its own.
    rotatedKeyId = keyIds.get('Aliyun_AES_256 ENCRYPT/DECRYPT') ?? '';
    await t.call('CreateKeyVersion', { KeyId: rotatedKeyId });
    await t.call('CreateKeyVersion', { KeyId: rotatedKeyId });
    const versions = await t.call('ListKeyVersions', { KeyId: rotatedKeyId });
    const primary = (await t.call('DescribeKey', { KeyId: rotatedKeyId })).KeyMetadata.PrimaryKeyVersion;
    expect(versions.KeyVersions).toHaveLength(3);
    olderVersionId = versions.KeyVersions.find((version) => version.KeyVersionId !== primary)?.KeyVersionId ?? '';
    hmacVersionId = (await t.call('DescribeKey', { KeyId: keyIds.get('HMAC_SHA256 GENERATE/VERIFY_MAC') ?? '' })).KeyMetadata.PrimaryKeyVersion;
    rsaSignVersionId = (await t.call('DescribeKey', { KeyId: keyIds.get('RSA_2048 SIGN/VERIFY') ?? '' })).KeyMetadata.PrimaryKeyVersion;

    // Material matters whatever the policy says: Disabled and PendingDeletion keys are checked.
    const disabled = (await t.call('CreateKey', { KeySpec: 'EC_P256', KeyUsage: 'SIGN/VERIFY' })).KeyMetadata.KeyId;
    await t.call('DisableKey', { KeyId: disabled });
    const pending = (await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256' })).KeyMetadata.KeyId;
    await t.call('ScheduleKeyDeletion', { KeyId: pending, PendingWindowInDays: 30 });
    // Not checked: a key awaiting its material, and a deleted key (its material is meant to be gone).
    await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256', Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true });
    const deleted = (await t.call('CreateKey', { KeySpec: 'HMAC_SHA256', KeyUsage: 'GENERATE/VERIFY_MAC' })).KeyMetadata.KeyId;
    await t.call('ScheduleKeyDeletion', { KeyId: deleted, PendingWindowInDays: 7 });
    clock += 8 * DAY;
    expect((await t.core.runMaintenance()).deleted).toEqual([deleted]);
    expect((await t.call('DescribeKey', { KeyId: pending })).KeyMetadata.KeyState).toBe('PendingDeletion');

    // 9 keys of the specs (one with 3 versions) + the Disabled and the PendingDeletion key.
    expectedChecked = SPECS.length + 2 + 2;
  }, 120_000);

  afterAll(async () => {
    await disposeTestCore(t);
  });

  it('passes a healthy store: every version of every spec, Disabled and PendingDeletion keys included; one audit record, no usage records', async () => {
    const before = await auditCount();
    const result = await t.call('VerifyKeyStoreMaterial', { KeyStoreId: STORE });
    expect(result).toMatchObject({ KeyStoreId: STORE, Checked: expectedChecked, Passed: expectedChecked, Problems: [] });
    expect(await auditCount()).toBe(before + 1);
    const [record] = (await t.call('ListAuditEvents', { PageSize: 1 })).Events;
    expect(record).toMatchObject({ Operation: 'VerifyKeyStoreMaterial', ResourceId: STORE, Outcome: 'SUCCESS' });
    expect(record?.Details).toEqual({ Checked: expectedChecked, Passed: expectedChecked, Problems: 0 });
  });

  it('reports exactly the version whose object is gone as MISSING, and those whose CKA_ID names another kind of key as FAILED_ROUND_TRIP', async () => {
    await t.close();
    const client = new HsmModuleClient(
      { path: SOFTHSM_MODULE_PATH, env: { SOFTHSM2_CONF: path.join(t.dataDir, 'softhsm', 'softhsm2.conf') } },
      { launcher: createNodeWorkerLauncher() },
    );
    try {
      await client.login({ serial, userPin: CANARY_PASSWORD });
      expect((await client.destroyKey({ serial, objectId: objectIdOfVersion(olderVersionId) })).destroyed).toBe(1);
      // Keys replaced by other kinds under the same CKA_ID: present, but not those keys.
      const replacements = [
        { name: 'HMAC_SHA256 GENERATE/VERIFY_MAC', versionId: hmacVersionId, spec: { kind: 'AES', bits: 256 }, objects: 1 },
        { name: 'RSA_2048 SIGN/VERIFY', versionId: rsaSignVersionId, spec: { kind: 'EC', curve: 'P-256' }, objects: 2 },
      ] as const;
      for (const { name, versionId, spec, objects } of replacements) {
        const objectId = objectIdOfVersion(versionId);
        expect((await client.destroyKey({ serial, objectId })).destroyed).toBe(objects);
        const label = keyObjectLabel(keyIds.get(name) ?? '', versionId);
        await client.generateKey({ serial, objectId, label, spec, policy: { wrapWithTrusted: false, extractable: false } });
      }
    } finally {
      await client.close();
    }
    t = await createTestCore(t.dataDir, { now });
    await t.call('ConnectKeyStore', { KeyStoreId: STORE, KeyStorePassword: CANARY_PASSWORD });

    const result = await t.call('VerifyKeyStoreMaterial', { KeyStoreId: STORE });
    expect(result.Checked).toBe(expectedChecked);
    expect(result.Passed).toBe(expectedChecked - 3);
    const problems = result.Problems.map(({ KeyId, KeyVersionId, Problem }) => ({ KeyId, KeyVersionId, Problem }));
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        { KeyId: rotatedKeyId, KeyVersionId: olderVersionId, Problem: 'MISSING' },
        { KeyId: keyIds.get('HMAC_SHA256 GENERATE/VERIFY_MAC'), KeyVersionId: hmacVersionId, Problem: 'FAILED_ROUND_TRIP' },
        { KeyId: keyIds.get('RSA_2048 SIGN/VERIFY'), KeyVersionId: rsaSignVersionId, Problem: 'FAILED_ROUND_TRIP' },
      ]),
    );
    expect(result.Problems.find((problem) => problem.Problem === 'MISSING')?.Message).toContain('CKA_ID');
    for (const problem of result.Problems.filter((entry) => entry.Problem === 'FAILED_ROUND_TRIP')) expect(problem.Message).toContain('Forbidden.KeyUsage');
    expect(JSON.stringify(result)).not.toContain(CANARY_PASSWORD);
    const [record] = (await t.call('ListAuditEvents', { PageSize: 1 })).Events;
    expect(record?.Details).toEqual({ Checked: expectedChecked, Passed: expectedChecked - 3, Problems: 3 });
    // The primary version of the rotated key still works.
    const sealed = await t.call('Encrypt', { KeyId: rotatedKeyId, Plaintext: Buffer.from('still here').toString('base64') });
    expect(Buffer.from((await t.call('Decrypt', { CiphertextBlob: sealed.CiphertextBlob })).Plaintext, 'base64').toString()).toBe('still here');
  }, 60_000);

  it('refuses a disconnected and an unknown key store', async () => {
    await t.call('DisconnectKeyStore', { KeyStoreId: STORE });
    expect((await t.fail('VerifyKeyStoreMaterial', { KeyStoreId: STORE })).Code).toBe('Forbidden.KeyStoreState');
    expect((await t.fail('VerifyKeyStoreMaterial', { KeyStoreId: 'kst-nope' })).Code).toBe('NotFound.KeyStore');
    await t.call('ConnectKeyStore', { KeyStoreId: STORE, KeyStorePassword: CANARY_PASSWORD });
  });
});
