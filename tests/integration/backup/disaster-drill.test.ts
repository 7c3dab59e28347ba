/**
 * The disaster drill of issue 20: keys of every spec (generated and imported), a second version,
 * aliases, tags, disabled and scheduled keys, text and binary secrets; results made before the
 * backup; CreateBackup; the data directory deleted; RestoreBackup into a new one. Every old
 * ciphertext, signature and MAC still holds, the metadata is the same, the audit chain runs across
 * the restore, and VerifyKeyStoreMaterial clears the "unchecked" mark. A backup without the default
 * key store brings the registry back with every version MISSING. Real SoftHSM2, real SQLite.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPublicKey,
  constants as cryptoConstants,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
  verify as verifySignature,
  type KeyObject,
} from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_SPECS, SIGNING_ALGORITHMS_BY_SPEC, USAGES_BY_SPEC, type KeySpec, type KeyUsage, type OperationOutput, type SigningAlgorithm } from '../../../shared/contract';
import { b64 } from '../../support/crypto-checks';
import { CANARY_PASSWORD, createInitializedTestCore, createTestCore, disposeTestCore, removeDir, type TestCore } from '../../support/test-core';

const STORE = 'kst-default';
const BACKUP_PASSWORD = 'Drill-Backup-Pass-2026';
const MESSAGE = Buffer.from('minutes of the key ceremony, before the disk died');
const DIGEST = createHash('sha256').update(MESSAGE).digest();

interface Signed {
  keyId: string;
  spec: KeySpec;
  algorithm: SigningAlgorithm;
  signature: string;
  publicKey: string;
}

/** Everything the drill compares before and after: outputs of the read operations, volatile fields left out. */
async function registryView(t: TestCore, keyIds: readonly string[], secretNames: readonly string[]) {
  const keys = [];
  for (const keyId of keyIds) {
    keys.push({
      metadata: (await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata,
      versions: (await t.call('ListKeyVersions', { KeyId: keyId, PageSize: 100 })).KeyVersions,
      tags: (await t.call('ListResourceTags', { KeyId: keyId })).Tags,
      aliases: (await t.call('ListAliasesByKeyId', { KeyId: keyId, PageSize: 100 })).Aliases,
    });
  }
  const secrets = [];
  for (const name of secretNames) {
    secrets.push({
      described: await t.call('DescribeSecret', { SecretName: name }),
      versions: await t.call('ListSecretVersionIds', { SecretName: name }),
    });
  }
  const strip = <T extends { RequestId?: unknown }>(output: T): Omit<T, 'RequestId'> => {
    const { RequestId: _requestId, ...rest } = output;
    return rest;
  };
  return {
    keys,
    list: strip(await t.call('ListKeys', { PageSize: 100 })),
    aliases: strip(await t.call('ListAliases', { PageSize: 100 })),
    secrets: secrets.map(({ described, versions }) => ({ described: strip(described), versions: strip(versions) })),
  };
}

describe('disaster drill: back up, lose the data directory, restore, every key works', () => {
  let source: TestCore;
  let work = '';
  const keyIds: string[] = [];
  const secretNames = ['prod/db-password', 'prod/tls-key'];
  const symmetric: Array<{ keyId: string; plaintext: string; blob: string }> = [];
  const rsaSealed: Array<{ keyId: string; plaintext: string; blob: string }> = [];
  const signed: Signed[] = [];
  const macs: Array<{ keyId: string; mac: string }> = [];
  const secretValues = new Map<string, OperationOutput<'GetSecretValue'>>();
  let before: Awaited<ReturnType<typeof registryView>>;
  let backup: OperationOutput<'CreateBackup'>;
  let backupFile = '';
  let metadataOnlyFile = '';
  let disabledKeyId = '';
  let rotatedKeyId = '';
  let importedAes: { keyId: string; material: Buffer } = { keyId: '', material: Buffer.alloc(0) };
  let importedEc = { keyId: '', publicKey: null as KeyObject | null };
  let versionCount = 0;

  async function createKey(spec: KeySpec, usage: KeyUsage, extra: { Alias?: string; Description?: string } = {}): Promise<string> {
    const keyId = (await source.call('CreateKey', { KeySpec: spec, KeyUsage: usage, ...extra })).KeyMetadata.KeyId;
    keyIds.push(keyId);
    return keyId;
  }

  /** An EXTERNAL AES-256 key whose material the test knows (RSAES_OAEP_SHA_1 under the HSM's wrapping key). */
  async function importAesKey(): Promise<{ keyId: string; material: Buffer }> {
    const keyId = (await source.call('CreateKey', { KeySpec: 'Aliyun_AES_256', Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true })).KeyMetadata.KeyId;
    keyIds.push(keyId);
    const parameters = await source.call('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_1', WrappingKeySpec: 'RSA_2048' });
    const material = randomBytes(32);
    const wrapped = publicEncrypt({ key: spki(parameters.PublicKey), padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, material);
    await source.call('ImportKeyMaterial', { KeyId: keyId, ImportToken: parameters.ImportToken, EncryptedKeyMaterial: b64(wrapped) });
    return { keyId, material };
  }

  /** An EXTERNAL EC P-256 key pair made here: PKCS#8 under AES key wrap, that AES key under RSA-OAEP. */
  async function importEcKeyPair(): Promise<{ keyId: string; publicKey: KeyObject }> {
    const keyId = (await source.call('CreateKey', { KeySpec: 'EC_P256', KeyUsage: 'SIGN/VERIFY', Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true })).KeyMetadata.KeyId;
    keyIds.push(keyId);
    const parameters = await source.call('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_1', WrappingKeySpec: 'RSA_2048' });
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const aesKey = randomBytes(32);
    const wrapper = createCipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('A65959A6', 'hex'));
    const pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
    const material = Buffer.concat([
      publicEncrypt({ key: spki(parameters.PublicKey), padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, aesKey),
      wrapper.update(pkcs8),
      wrapper.final(),
    ]);
    await source.call('ImportKeyMaterial', { KeyId: keyId, ImportToken: parameters.ImportToken, EncryptedKeyMaterial: b64(material) });
    return { keyId, publicKey: pair.publicKey };
  }

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'keyward-drill-'));
    source = await createInitializedTestCore();

    // Every spec with every usage it allows.
    for (const spec of KEY_SPECS) {
      for (const usage of USAGES_BY_SPEC[spec]) await createKey(spec, usage, { Description: `drill ${spec} ${usage}` });
    }
    importedAes = await importAesKey();
    importedEc = await importEcKeyPair();
    const metadataOf = async (keyId: string) => (await source.call('DescribeKey', { KeyId: keyId })).KeyMetadata;

    // Results made before the backup, with every key that can make them.
    for (const keyId of [...keyIds]) {
      const { KeySpec: spec, KeyUsage: usage } = await metadataOf(keyId);
      const plaintext = b64(`secret data for ${keyId}`);
      if (spec.startsWith('Aliyun_AES')) {
        symmetric.push({ keyId, plaintext, blob: (await source.call('Encrypt', { KeyId: keyId, Plaintext: plaintext })).CiphertextBlob });
      } else if (spec.startsWith('RSA') && usage === 'ENCRYPT/DECRYPT') {
        const blob = (await source.call('AsymmetricEncrypt', { KeyId: keyId, Algorithm: 'RSAES_OAEP_SHA_1', Plaintext: plaintext })).CiphertextBlob;
        rsaSealed.push({ keyId, plaintext, blob });
      } else if (usage === 'SIGN/VERIFY') {
        const publicKey = (await source.call('GetPublicKey', { KeyId: keyId })).PublicKey;
        for (const algorithm of SIGNING_ALGORITHMS_BY_SPEC[spec] ?? []) {
          const digest = algorithm === 'ED25519_SHA_512' ? b64(MESSAGE) : b64(DIGEST);
          const signature = (await source.call('AsymmetricSign', { KeyId: keyId, Algorithm: algorithm, Digest: digest })).Value;
          signed.push({ keyId, spec, algorithm, signature, publicKey });
        }
      } else {
        macs.push({ keyId, mac: (await source.call('GenerateMac', { KeyId: keyId, Message: b64(MESSAGE) })).Mac });
      }
    }

    // A second version: the ciphertext above was made under the first one.
    rotatedKeyId = symmetric[0]?.keyId ?? '';
    await source.call('CreateKeyVersion', { KeyId: rotatedKeyId });
    symmetric.push({ keyId: rotatedKeyId, plaintext: b64('under the second version'), blob: (await source.call('Encrypt', { KeyId: rotatedKeyId, Plaintext: b64('under the second version') })).CiphertextBlob });

    // Aliases, tags, a Disabled key and one pending deletion.
    await source.call('CreateAlias', { AliasName: 'alias/payments', KeyId: rotatedKeyId });
    await source.call('CreateAlias', { AliasName: 'alias/imported', KeyId: importedAes.keyId });
    await source.call('TagResource', { KeyId: rotatedKeyId, Tags: [{ TagKey: 'team', TagValue: 'payments' }, { TagKey: 'env', TagValue: 'prod' }] });
    await source.call('TagResource', { KeyId: importedEc.keyId, Tags: [{ TagKey: 'origin', TagValue: 'byok' }] });
    disabledKeyId = symmetric[1]?.keyId ?? '';
    await source.call('DisableKey', { KeyId: disabledKeyId });
    await source.call('ScheduleKeyDeletion', { KeyId: macs[1]?.keyId ?? '', PendingWindowInDays: 30 });

    // Secrets: a text one with two versions, a binary one with a tag.
    await source.call('CreateSecret', { SecretName: secretNames[0]!, SecretData: 'first-pass-Ü', VersionId: 'v1' });
    await source.call('PutSecretValue', { SecretName: secretNames[0]!, SecretData: 'second-pass-ß', VersionId: 'v2' });
    await source.call('CreateSecret', { SecretName: secretNames[1]!, SecretData: b64(randomBytes(300)), SecretDataType: 'binary', VersionId: 'b1', Tags: [{ TagKey: 'kind', TagValue: 'tls' }] });
    for (const [name, versionId] of [[secretNames[0]!, 'v1'], [secretNames[0]!, 'v2'], [secretNames[1]!, 'b1']] as const) {
      secretValues.set(`${name}@${versionId}`, await source.call('GetSecretValue', { SecretName: name, VersionId: versionId }));
    }
    // The secrets' default CMK was made on first need: it is one of the keys now.
    const secretsKey = (await source.call('DescribeSecret', { SecretName: secretNames[0]! })).EncryptionKeyId;
    keyIds.push(secretsKey);

    before = await registryView(source, keyIds, secretNames);
    versionCount = before.keys.reduce((sum, key) => sum + key.versions.length, 0);

    backup = await source.call('CreateBackup', { Password: BACKUP_PASSWORD, Description: 'drill' });
    const metadataOnly = await source.call('CreateBackup', { Password: BACKUP_PASSWORD, IncludeDefaultKeyStore: false, Description: 'metadata only' });
    // The removable medium: outside the data directory that is about to be lost.
    for (const [made, target] of [[backup, 'full.kwbackup'], [metadataOnly, 'metadata.kwbackup']] as const) {
      const file = source.core.files.takeOutgoing(made.BackupId);
      expect(file).not.toBeNull();
      copyFileSync(file!.path, path.join(work, target));
      source.core.files.release(file!.path);
    }
    backupFile = path.join(work, 'full.kwbackup');
    metadataOnlyFile = path.join(work, 'metadata.kwbackup');

    // The disk dies.
    await disposeTestCore(source);
    expect(existsSync(source.dataDir)).toBe(false);
  }, 240_000);

  afterAll(async () => {
    removeDir(work);
  });

  describe('restored from the full backup into a new data directory', () => {
    let t: TestCore;

    beforeAll(async () => {
      t = await createTestCore();
      const fileId = t.core.files.registerIncoming(backupFile, false);
      const restored = await t.call('RestoreBackup', { FileId: fileId, Password: BACKUP_PASSWORD });
      expect(restored.KeyStores).toEqual([expect.objectContaining({ KeyStoreId: STORE, Keys: keyIds.length, Material: 'RESTORED_TOKEN' })]);
      await t.call('ConnectKeyStore', { KeyStoreId: STORE, KeyStorePassword: CANARY_PASSWORD });
    }, 120_000);

    afterAll(async () => {
      await disposeTestCore(t);
    });

    it('has the same keys, versions, states, aliases, tags and secrets', async () => {
      expect(await registryView(t, keyIds, secretNames)).toEqual(before);
      expect((await t.call('DescribeKey', { KeyId: disabledKeyId })).KeyMetadata.KeyState).toBe('Disabled');
      expect((await t.call('DescribeKey', { KeyId: 'alias/payments' })).KeyMetadata.KeyId).toBe(rotatedKeyId);
    });

    it('reads back every secret version with the same value', async () => {
      for (const [reference, value] of secretValues) {
        const [name, versionId] = reference.split('@') as [string, string];
        const { RequestId: _before, ...expected } = value;
        const { RequestId: _after, ...actual } = await t.call('GetSecretValue', { SecretName: name, VersionId: versionId });
        expect(actual).toEqual(expected);
      }
    });

    it('decrypts every ciphertext made before the backup, under old and new versions', async () => {
      for (const { keyId, plaintext, blob } of symmetric) {
        if (keyId === disabledKeyId) {
          expect((await t.fail('Decrypt', { CiphertextBlob: blob })).Code).toBe('Forbidden.KeyState');
          continue;
        }
        expect((await t.call('Decrypt', { CiphertextBlob: blob })).Plaintext).toBe(plaintext);
      }
      for (const { keyId, plaintext, blob } of rsaSealed) {
        expect((await t.call('AsymmetricDecrypt', { KeyId: keyId, Algorithm: 'RSAES_OAEP_SHA_1', CiphertextBlob: blob })).Plaintext).toBe(plaintext);
      }
      // The imported key is the very material imported: a new blob opens outside with it.
      const fresh = Buffer.from((await t.call('Encrypt', { KeyId: 'alias/imported', Plaintext: b64('after the restore') })).CiphertextBlob, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', importedAes.material, fresh.subarray(35, 47));
      decipher.setAAD(Buffer.concat([fresh.subarray(0, 35), Buffer.from('{}')]));
      decipher.setAuthTag(fresh.subarray(fresh.length - 16));
      expect(Buffer.concat([decipher.update(fresh.subarray(47, fresh.length - 16)), decipher.final()]).toString()).toBe('after the restore');
    });

    it('verifies every signature made before the backup, publishes the same public keys and signs anew', async () => {
      expect(signed.length).toBeGreaterThanOrEqual(9);
      for (const { keyId, spec, algorithm, signature, publicKey } of signed) {
        expect((await t.call('GetPublicKey', { KeyId: keyId })).PublicKey).toBe(publicKey);
        const digest = algorithm === 'ED25519_SHA_512' ? b64(MESSAGE) : b64(DIGEST);
        expect((await t.call('AsymmetricVerify', { KeyId: keyId, Algorithm: algorithm, Digest: digest, Value: signature })).Value, `${spec} ${algorithm}`).toBe(true);
        const again = (await t.call('AsymmetricSign', { KeyId: keyId, Algorithm: algorithm, Digest: digest })).Value;
        expect((await t.call('AsymmetricVerify', { KeyId: keyId, Algorithm: algorithm, Digest: digest, Value: again })).Value).toBe(true);
      }
      // The imported pair is the pair made here.
      const value = (await t.call('AsymmetricSign', { KeyId: importedEc.keyId, Algorithm: 'ECDSA_SHA_256', Digest: b64(DIGEST) })).Value;
      expect(verifySignature('sha256', MESSAGE, importedEc.publicKey!, Buffer.from(value, 'base64'))).toBe(true);
    });

    it('makes the same MACs as before', async () => {
      for (const { keyId, mac } of macs) {
        if ((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.KeyState !== 'Enabled') continue;
        expect((await t.call('GenerateMac', { KeyId: keyId, Message: b64(MESSAGE) })).Mac).toBe(mac);
        expect((await t.call('VerifyMac', { KeyId: keyId, Message: b64(MESSAGE), Mac: mac })).MacValid).toBe(true);
      }
      expect(macs.length).toBeGreaterThanOrEqual(2);
    });

    it('continues the audit chain: the RestoreBackup record follows the backup’s audit head and the chain verifies', async () => {
      const verdict = await t.call('VerifyAuditLog', {});
      expect(verdict).toMatchObject({ Valid: true, FirstBrokenSequence: null });
      const [restoreRecord] = (await t.call('ListAuditEvents', { Filters: [{ Key: 'Operation', Values: ['RestoreBackup'] }] })).Events;
      expect(restoreRecord).toMatchObject({
        Sequence: backup.Manifest.AuditHead.Sequence + 1,
        PreviousHash: backup.Manifest.AuditHead.Hash,
        ResourceId: backup.BackupId,
        Outcome: 'SUCCESS',
      });
      expect(JSON.stringify(restoreRecord)).not.toContain(BACKUP_PASSWORD);
    });

    it('passes VerifyKeyStoreMaterial on every version, which clears the store from the unchecked list', async () => {
      expect((await t.call('DescribeBackupStatus', {})).UncheckedKeyStoreIds).toEqual([STORE]);
      const result = await t.call('VerifyKeyStoreMaterial', { KeyStoreId: STORE });
      expect(result).toMatchObject({ KeyStoreId: STORE, Checked: versionCount, Passed: versionCount, Problems: [] });
      const status = await t.call('DescribeBackupStatus', {});
      expect(status.UncheckedKeyStoreIds).toEqual([]);
      expect(status.RestoredFrom?.BackupId).toBe(backup.BackupId);
    });
  });

  describe('restored from a backup without the default key store', () => {
    it('brings the registry back, the default store uninitialized; once initialized, every version is MISSING', async () => {
      const t = await createTestCore();
      try {
        const fileId = t.core.files.registerIncoming(metadataOnlyFile, false);
        const restored = await t.call('RestoreBackup', { FileId: fileId, Password: BACKUP_PASSWORD });
        expect(restored.KeyStores).toEqual([expect.objectContaining({ KeyStoreId: STORE, Keys: keyIds.length, Material: 'NOT_IN_BACKUP' })]);
        const stores = await t.call('DescribeKeyStores', {});
        expect(stores.KeyStores.find((store) => store.KeyStoreId === STORE)?.Initialized).toBe(false);
        expect((await t.call('ListKeys', { PageSize: 100 })).TotalCount).toBe(before.list.TotalCount);

        await t.call('InitializeDefaultKeyStore', { KeyStorePassword: CANARY_PASSWORD });
        const result = await t.call('VerifyKeyStoreMaterial', { KeyStoreId: STORE });
        expect(result.Checked).toBe(versionCount);
        expect(result.Passed).toBe(0);
        expect(result.Problems).toHaveLength(versionCount);
        expect(new Set(result.Problems.map((problem) => problem.Problem))).toEqual(new Set(['MISSING']));
        // Not checked successfully: the store stays on the list.
        expect((await t.call('DescribeBackupStatus', {})).UncheckedKeyStoreIds).toEqual([STORE]);
      } finally {
        await disposeTestCore(t);
      }
    }, 120_000);
  });
});

function spki(base64: string): KeyObject {
  return createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' });
}
