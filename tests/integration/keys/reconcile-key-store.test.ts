/**
 * ReconcileKeyStore on the default key store: orphans planted on the real token from outside
 * Keyward (as a crash between C_GenerateKey and the registry commit would leave them), a version
 * whose object was destroyed behind Keyward's back, a foreign object and a live import key pair.
 * REPORT finds exactly those; REMOVE_ORPHAN_OBJECTS destroys the orphans and nothing else, audited;
 * the CLI serves the operation too.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HsmModuleClient } from '../../../electron/main/hsm/client';
import { createNodeWorkerLauncher } from '../../../electron/main/hsm/node-launcher';
import { importKeyLabel, keyObjectLabel } from '../../../electron/main/services/clusters/cluster-objects';
import { objectIdOfVersion } from '../../../electron/main/services/keys/key-identifiers';
import { runKms } from '../../support/run-cli';
import { SOFTHSM_MODULE_PATH } from '../../support/softhsm';
import { CANARY_PASSWORD, createInitializedTestCore, createTestCore, disposeTestCore, type TestCore } from '../../support/test-core';

const STORE = 'kst-default';

describe('ReconcileKeyStore', () => {
  let t: TestCore;
  let serial = '';
  const planted = { orphanVersion: objectIdOfVersion(randomUUID()), orphanImport: objectIdOfVersion(randomUUID()), foreign: objectIdOfVersion(randomUUID()) };
  let lostKeyId = '';
  let keptKeyIds: string[] = [];
  let pendingImportKeyId = '';

  /** A second worker on the same SoftHSM2 installation: what another tool (or a crashed Keyward) leaves. */
  async function fromOutside(fn: (client: HsmModuleClient) => Promise<void>): Promise<void> {
    const client = new HsmModuleClient({ path: SOFTHSM_MODULE_PATH, env: { SOFTHSM2_CONF: path.join(t.dataDir, 'softhsm', 'softhsm2.conf') } }, { launcher: createNodeWorkerLauncher() });
    try {
      await client.login({ serial, userPin: CANARY_PASSWORD });
      await fn(client);
    } finally {
      await client.close();
    }
  }

  beforeAll(async () => {
    t = await createInitializedTestCore();
    const events = await t.call('ListAuditEvents', { Filters: [{ Key: 'Operation', Values: ['InitializeDefaultKeyStore'] }] });
    serial = String(events.Events[0]?.Details.TokenSerial ?? '');
    const created = [];
    for (const KeySpec of ['Aliyun_AES_256', 'Aliyun_AES_256', 'EC_P256', 'HMAC_SHA256'] as const) {
      created.push((await t.call('CreateKey', { KeySpec, ...(KeySpec === 'HMAC_SHA256' ? { KeyUsage: 'GENERATE/VERIFY_MAC' as const } : {}) })).KeyMetadata);
    }
    lostKeyId = created[1]!.KeyId;
    keptKeyIds = created.filter((key) => key.KeyId !== lostKeyId).map((key) => key.KeyId);
    pendingImportKeyId = (await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256', Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true })).KeyMetadata.KeyId;
    await t.call('GetParametersForImport', { KeyId: pendingImportKeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_1', WrappingKeySpec: 'RSA_2048' });
    const lostVersion = created[1]!.PrimaryKeyVersion ?? '';
    await t.close();

    await fromOutside(async (client) => {
      const keyId = randomUUID();
      const versionId = `${planted.orphanVersion.slice(0, 8)}-${randomUUID().slice(9)}`;
      await client.generateKey({ serial, objectId: planted.orphanVersion, label: keyObjectLabel(keyId, versionId), spec: { kind: 'AES', bits: 256 }, policy: { wrapWithTrusted: false, extractable: false } });
      await client.generateImportKeyPair({ serial, objectId: planted.orphanImport, label: importKeyLabel(randomUUID()) });
      await client.generateKey({ serial, objectId: planted.foreign, label: 'payments-team-key', spec: { kind: 'AES', bits: 256 }, policy: { wrapWithTrusted: false, extractable: false } });
      expect((await client.destroyKey({ serial, objectId: objectIdOfVersion(lostVersion) })).destroyed).toBe(1);
    });
    // What a process killed right after SoftHSM2 created an object file leaves: the file, no attributes.
    const tokensDir = path.join(t.dataDir, 'softhsm', 'tokens');
    const tokenDir = path.join(tokensDir, readdirSync(tokensDir)[0] ?? '');
    const empty = randomUUID();
    writeFileSync(path.join(tokenDir, `${empty}.object`), Buffer.alloc(8));
    writeFileSync(path.join(tokenDir, `${empty}.lock`), Buffer.alloc(0));
    t = await createTestCore(t.dataDir);
    await t.call('ConnectKeyStore', { KeyStoreId: STORE, KeyStorePassword: CANARY_PASSWORD });
  }, 120_000);

  afterAll(async () => {
    await disposeTestCore(t);
  });

  it('reports the orphans, the lost version, the foreign and the unreadable object, and changes nothing', async () => {
    const report = await t.call('ReconcileKeyStore', { KeyStoreId: STORE });
    expect(report.Action).toBe('REPORT');
    expect(report.OrphanObjects.map((orphan) => [orphan.ObjectId, orphan.Kind, orphan.Removed]).sort()).toEqual(
      [
        [planted.orphanImport, 'IMPORT_WRAPPING_KEY', false],
        [planted.orphanVersion, 'KEY_VERSION', false],
      ].sort(),
    );
    const versionOrphan = report.OrphanObjects.find((orphan) => orphan.Kind === 'KEY_VERSION');
    expect(versionOrphan?.ObjectClasses).toEqual(['SECRET_KEY']);
    expect(versionOrphan?.Reason).toContain('registry commit');
    expect(report.OrphanObjects.find((orphan) => orphan.Kind === 'IMPORT_WRAPPING_KEY')?.ObjectClasses.sort()).toEqual(['PRIVATE_KEY', 'PUBLIC_KEY']);
    expect(report.MissingMaterial).toEqual([expect.objectContaining({ KeyId: lostKeyId, PresentOn: 0, MissingOn: [{ HsmId: null, TokenSerial: serial }] })]);
    expect(report.MissingMaterial[0]?.Remedy).toContain('lost');
    // Registered: AES 1 + EC pair 2 + HMAC 1 + the live import pair 2; the lost AES has none left.
    // Infrastructure: the audit anchor's key and data object (written when the first core closed).
    // Foreign: the payments team's key and the attribute-less object, which nothing proves ours.
    expect(report.Tokens).toEqual([
      {
        HsmId: null,
        TokenSerial: serial,
        Checked: true,
        Objects: 13,
        RegisteredObjects: 6,
        InfrastructureObjects: 2,
        ForeignObjects: 2,
        OrphanObjects: 3,
        Note: expect.stringContaining('1 object without readable attributes') as unknown as string,
      },
    ]);
    expect(report.Summary).toEqual({
      TokensChecked: 1,
      TokensNotChecked: 0,
      KeyVersionsChecked: 4,
      OrphanObjects: 2,
      RemovedObjects: 0,
      IncompleteVersions: 0,
      LostVersions: 1,
      Truncated: false,
    });
    const again = await t.call('ReconcileKeyStore', { KeyStoreId: STORE, Action: 'REPORT' });
    expect(again.Summary.OrphanObjects).toBe(2);
  });

  it('removes exactly the orphans on request, audited, and keeps every registered key usable', async () => {
    const removed = await t.call('ReconcileKeyStore', { KeyStoreId: STORE, Action: 'REMOVE_ORPHAN_OBJECTS' });
    expect(removed.Summary.RemovedObjects).toBe(2);
    expect(removed.OrphanObjects.every((orphan) => orphan.Removed)).toBe(true);

    const after = await t.call('ReconcileKeyStore', { KeyStoreId: STORE });
    expect(after.Summary).toMatchObject({ OrphanObjects: 0, LostVersions: 1 });
    expect(after.Tokens[0]).toMatchObject({ ForeignObjects: 2, OrphanObjects: 0 });

    for (const keyId of keptKeyIds) await t.call('DescribeKey', { KeyId: keyId });
    await t.call('Encrypt', { KeyId: keptKeyIds[0]!, Plaintext: 'b2s=' });
    await t.call('GetParametersForImport', { KeyId: pendingImportKeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_1', WrappingKeySpec: 'RSA_2048' });

    const events = await t.call('ListAuditEvents', { Filters: [{ Key: 'Operation', Values: ['ReconcileKeyStore'] }] });
    const removal = events.Events.find((event) => event.Details.Action === 'REMOVE_ORPHAN_OBJECTS');
    expect(removal?.Details).toMatchObject({ RemovedObjects: 2, OrphanObjects: 2, LostVersions: 1 });
    expect(String(removal?.Details.RemovedObjectIds)).toContain(planted.orphanVersion);
    expect((await t.call('VerifyAuditLog', {})).Valid).toBe(true);
  });

  it('refuses unknown, disconnected and malformed requests with typed errors', async () => {
    expect((await t.fail('ReconcileKeyStore', { KeyStoreId: 'kst-nope' })).Code).toBe('NotFound.KeyStore');
    expect((await t.fail('ReconcileKeyStore', { KeyStoreId: STORE, Action: 'ADOPT' })).Code).toBe('InvalidParameter');
    expect((await t.fail('ReconcileKeyStore', { KeyStoreId: STORE, Extra: 1 })).Code).toBe('InvalidParameter');
    await t.call('DisconnectKeyStore', { KeyStoreId: STORE });
    expect((await t.fail('ReconcileKeyStore', { KeyStoreId: STORE })).Code).toBe('Forbidden.KeyStoreState');
    await t.call('ConnectKeyStore', { KeyStoreId: STORE, KeyStorePassword: CANARY_PASSWORD });
  });

  it('is served by the CLI (connected per process through KMS_DEFAULT_KEYSTORE_PASSWORD)', async () => {
    await t.close();
    const result = await runKms(['ReconcileKeyStore', '--KeyStoreId', STORE], { env: { KMS_DATA_DIR: t.dataDir, KMS_DEFAULT_KEYSTORE_PASSWORD: CANARY_PASSWORD } });
    t = await createTestCore(t.dataDir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toMatchObject({ KeyStoreId: STORE, Action: 'REPORT', Summary: { OrphanObjects: 0, LostVersions: 1 } });
  }, 60_000);
});
