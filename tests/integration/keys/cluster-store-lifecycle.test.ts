/**
 * Key state transitions on a private key store backed by a local 2-HSM cluster, with a moving
 * clock: disable/enable, scheduled deletion that destroys the objects on BOTH members before the
 * tombstone (and waits while a member is down), versions and rotation replicated to both members,
 * and imported material (wrapped by openssl) landing on and leaving both members. Each member is a
 * token of its own SoftHSM2 installation, so each has its own worker process that can crash alone.
 */
import { execFileSync } from 'node:child_process';
import { createDecipheriv, createHash, createVerify, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HsmModuleClient } from '../../../electron/main/hsm/client';
import { createNodeWorkerLauncher } from '../../../electron/main/hsm/node-launcher';
import { additionalData, parseBlob } from '../../../electron/main/services/crypto/ciphertext-blob';
import { bringUpKeyStore, createClusterWithMembers, KMSUSER_PASSWORD, softHsmMember, type ClusterSetUp } from '../../support/cluster-flow';
import { listObjectsOn, objectIdOf } from '../../support/pkcs11-tool';
import { createSoftHsmFixture, killWorkersOf, type SoftHsmFixture } from '../../support/softhsm';
import { createTestCore, removeDir, type TestCore } from '../../support/test-core';
import { seedDate } from '../../support/seed-date';

const DAY = 86_400_000;
const b64 = (data: string | Buffer): string => (typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('base64');

describe('key lifecycle on a 2-HSM cluster key store (moving clock)', () => {
  let t: TestCore;
  let fixtures: SoftHsmFixture[] = [];
  let setUp: ClusterSetUp;
  let keyStoreId = '';
  let labels: string[] = [];
  let serials: string[] = [];
  let work = '';
  let clock = Date.parse('2026-06-01T08:00:00.000Z');
  const advance = (ms: number): void => {
    clock += ms;
  };

  /** CKA_IDs of the objects on each member, read by pkcs11-tool: [member A ids, member B ids]. */
  const objectIdsOnMembers = (): string[][] =>
    fixtures.map((fixture, index) => listObjectsOn({ confPath: fixture.confPath, tokenLabel: labels[index] ?? '', pin: KMSUSER_PASSWORD }).map((object) => object.id));
  const countOnMembers = (versionId: string): number[] => objectIdsOnMembers().map((ids) => ids.filter((id) => id === objectIdOf(versionId)).length);

  const createKey = async (spec: 'Aliyun_AES_256' | 'EC_P256' | 'HMAC_SHA256', extra: Record<string, unknown> = {}): Promise<{ keyId: string; versionId: string }> => {
    const { KeyMetadata } = await t.call('CreateKey', { KeySpec: spec, KeyStoreId: keyStoreId, ProtectionLevel: 'HSM', ...extra });
    return { keyId: KeyMetadata.KeyId, versionId: KeyMetadata.PrimaryKeyVersion };
  };

  /** Kills one member's worker: Keyward drops that member and carries on with the other. */
  async function loseMember(index: number): Promise<void> {
    expect((await killWorkersOf(fixtures[index] as SoftHsmFixture)).length).toBeGreaterThan(0);
    await expect.poll(async () => (await t.call('DescribeClusters', {})).Clusters[0]?.State, { timeout: 10_000 }).toBe('DEGRADED');
  }

  async function bringMembersBack(): Promise<void> {
    const synced = await t.call('SyncCluster', { ClusterId: setUp.clusterId, KeyStorePassword: KMSUSER_PASSWORD });
    expect(synced.State).toBe('ACTIVE');
    expect(synced.Members.map((member) => member.Connected)).toEqual([true, true]);
  }

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'keyward-cluster-lifecycle-'));
    t = await createTestCore(undefined, { now: () => new Date(clock) });
    fixtures = await Promise.all([createSoftHsmFixture(), createSoftHsmFixture()]);
    setUp = await createClusterWithMembers(t, 'lifecycle-cluster', [softHsmMember(fixtures[0] as SoftHsmFixture, 'zone-a'), softHsmMember(fixtures[1] as SoftHsmFixture, 'zone-b')]);
    expect(new Set(setUp.moduleIds).size).toBe(2);
    ({ keyStoreId } = await bringUpKeyStore(t, setUp, 'lifecycle-store'));
    const { Hsms } = (await t.call('DescribeCluster', { ClusterId: setUp.clusterId })).Cluster;
    labels = Hsms.map((hsm) => hsm.Label);
    serials = Hsms.map((hsm) => hsm.TokenSerial ?? '');
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(fixtures.map((fixture) => fixture.cleanup()));
    removeDir(t.dataDir);
    removeDir(work);
  });

  it('Enabled ⇄ Disabled: a disabled cluster key refuses every use, and works again once enabled', async () => {
    const aes = await createKey('Aliyun_AES_256');
    const ec = await createKey('EC_P256', { KeyUsage: 'SIGN/VERIFY' });
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId: aes.keyId, Plaintext: b64('before') });
    const digest = createHash('sha256').update('x').digest('base64');
    for (const key of [aes, ec]) expect((await t.call('DisableKey', { KeyId: key.keyId })).KeyState).toBe('Disabled');
    expect((await t.call('DescribeKey', { KeyId: aes.keyId })).KeyMetadata).toMatchObject({ KeyState: 'Disabled', ProtectionLevel: 'HSM' });
    expect((await t.fail('Encrypt', { KeyId: aes.keyId, Plaintext: b64('x') })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('Decrypt', { CiphertextBlob })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('GenerateDataKey', { KeyId: aes.keyId })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('CreateKeyVersion', { KeyId: aes.keyId })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('AsymmetricSign', { KeyId: ec.keyId, Algorithm: 'ECDSA_SHA_256', Digest: digest })).Code).toBe('Forbidden.KeyState');
    for (const key of [aes, ec]) expect((await t.call('EnableKey', { KeyId: key.keyId })).KeyState).toBe('Enabled');
    expect(Buffer.from((await t.call('Decrypt', { CiphertextBlob })).Plaintext, 'base64').toString()).toBe('before');
    await t.call('AsymmetricSign', { KeyId: ec.keyId, Algorithm: 'ECDSA_SHA_256', Digest: digest });
    // Disabling touches no HSM object: both members still hold both keys.
    expect(countOnMembers(aes.versionId)).toEqual([1, 1]);
    expect(countOnMembers(ec.versionId)).toEqual([2, 2]);
  });

  it('ScheduleKeyDeletion refuses every use and state change; a due deletion destroys the objects on BOTH members, then tombstones', async () => {
    const aes = await createKey('Aliyun_AES_256');
    const ec = await createKey('EC_P256', { KeyUsage: 'SIGN/VERIFY' });
    await t.call('CreateAlias', { AliasName: 'alias/cluster-retiring', KeyId: aes.keyId });
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId: aes.keyId, Plaintext: b64('last words') });
    expect((await t.fail('ScheduleKeyDeletion', { KeyId: aes.keyId, PendingWindowInDays: 6 })).Code).toBe('InvalidParameter');
    for (const key of [aes, ec]) await t.call('ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 });
    expect((await t.call('DescribeKey', { KeyId: aes.keyId })).KeyMetadata).toMatchObject({ KeyState: 'PendingDeletion', DeleteDate: seedDate(clock + 7 * DAY) });
    expect((await t.fail('Encrypt', { KeyId: aes.keyId, Plaintext: b64('x') })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('Decrypt', { CiphertextBlob })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('EnableKey', { KeyId: aes.keyId })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('DisableKey', { KeyId: aes.keyId })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('CreateKeyVersion', { KeyId: aes.keyId })).Code).toBe('Forbidden.KeyState');
    expect((await t.fail('ScheduleKeyDeletion', { KeyId: aes.keyId, PendingWindowInDays: 30 })).Code).toBe('Forbidden.KeyState');
    // Cancel and schedule again: CancelKeyDeletion returns the key to Enabled.
    expect((await t.call('CancelKeyDeletion', { KeyId: aes.keyId })).KeyState).toBe('Enabled');
    expect((await t.fail('CancelKeyDeletion', { KeyId: aes.keyId })).Code).toBe('Forbidden.KeyState');
    await t.call('ScheduleKeyDeletion', { KeyId: aes.keyId, PendingWindowInDays: 7 });

    advance(7 * DAY - 60_000);
    expect((await t.core.runMaintenance()).deleted).toEqual([]);
    expect(countOnMembers(aes.versionId)).toEqual([1, 1]);
    advance(120_000);
    expect((await t.fail('CancelKeyDeletion', { KeyId: aes.keyId })).Code).toBe('Forbidden.KeyState');
    const report = await t.core.runMaintenance();
    expect(report.deleted.sort()).toEqual([aes.keyId, ec.keyId].sort());
    expect(report.failed).toEqual([]);
    expect(countOnMembers(aes.versionId)).toEqual([0, 0]);
    expect(countOnMembers(ec.versionId)).toEqual([0, 0]);
    expect((await t.fail('DescribeKey', { KeyId: aes.keyId })).Code).toBe('NotFound.Key');
    expect((await t.fail('DescribeKey', { KeyId: 'alias/cluster-retiring' })).Code).toBe('NotFound.Alias');
    expect((await t.fail('Decrypt', { CiphertextBlob })).Code).toBe('NotFound.Key');
    const { Events } = await t.call('ListAuditEvents', { Filters: [{ Key: 'ResourceId', Values: [ec.keyId] }], PageSize: 50 });
    expect(Events.find((event) => event.Operation === 'DeleteKey')?.Details).toMatchObject({ HsmObjectsDestroyed: 4, Hsms: 2 });
  });

  it('CreateKeyVersion and automatic rotation put each new version on BOTH members; old blobs still decrypt', async () => {
    const key = await createKey('Aliyun_AES_256', { EnableAutomaticRotation: true, RotationInterval: '7d' });
    const first = await t.call('Encrypt', { KeyId: key.keyId, Plaintext: b64('v1') });
    const { KeyVersion } = await t.call('CreateKeyVersion', { KeyId: key.keyId });
    expect(countOnMembers(KeyVersion.KeyVersionId)).toEqual([1, 1]);
    const second = await t.call('Encrypt', { KeyId: key.keyId, Plaintext: b64('v2') });
    expect(second.KeyVersionId).toBe(KeyVersion.KeyVersionId);

    advance(7 * DAY + 1000);
    expect((await t.core.runMaintenance()).rotated).toContain(key.keyId);
    const rotated = (await t.call('DescribeKey', { KeyId: key.keyId })).KeyMetadata.PrimaryKeyVersion;
    expect(rotated).not.toBe(KeyVersion.KeyVersionId);
    expect(countOnMembers(rotated)).toEqual([1, 1]);
    for (const [blob, text] of [[first, 'v1'], [second, 'v2']] as const) {
      const opened = await t.call('Decrypt', { CiphertextBlob: blob.CiphertextBlob });
      expect([Buffer.from(opened.Plaintext, 'base64').toString(), opened.KeyVersionId]).toEqual([text, blob.KeyVersionId]);
    }
    expect((await t.call('ListKeyVersions', { KeyId: key.keyId })).TotalCount).toBe(3);
    const ec = await createKey('EC_P256', { KeyUsage: 'SIGN/VERIFY' });
    expect((await t.fail('CreateKeyVersion', { KeyId: ec.keyId })).Code).toBe('UnsupportedOperation');
  });

  describe('imported key material', () => {
    const material = randomBytes(32);
    let keyId = '';
    const openssl = (args: string[]): string => execFileSync('openssl', args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

    /** GetParametersForImport, then openssl pkeyutl wraps the material (RSA-OAEP SHA-1) with the returned public key. */
    const wrapWithOpenssl = async (): Promise<{ ImportToken: string; EncryptedKeyMaterial: string }> => {
      const parameters = await t.call('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_1', WrappingKeySpec: 'RSA_2048' });
      writeFileSync(path.join(work, 'wrap.der'), Buffer.from(parameters.PublicKey, 'base64'));
      writeFileSync(path.join(work, 'material'), material);
      openssl(['pkeyutl', '-encrypt', '-pubin', '-keyform', 'DER', '-inkey', 'wrap.der', '-in', 'material', '-out', 'wrapped',
        '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha1']);
      return { ImportToken: parameters.ImportToken, EncryptedKeyMaterial: readFileSync(path.join(work, 'wrapped')).toString('base64') };
    };

    /** Opens a Keyward blob (no encryption context) with the known material, outside any HSM. */
    const openOutside = (blob: string): string => {
      const bytes = Buffer.from(blob, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', material, bytes.subarray(35, 47));
      decipher.setAAD(Buffer.concat([bytes.subarray(0, 35), Buffer.from('{}')]));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([decipher.update(bytes.subarray(47, bytes.length - 16)), decipher.final()]).toString();
    };

    beforeAll(async () => {
      const { KeyMetadata } = await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256', Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true, KeyStoreId: keyStoreId });
      expect(KeyMetadata).toMatchObject({ KeyState: 'PendingImport', ProtectionLevel: 'HSM', PrimaryKeyVersion: '' });
      keyId = KeyMetadata.KeyId;
    });

    it('a cluster key pending import refuses use and state changes, and returns to PendingImport when its deletion is cancelled', async () => {
      expect((await t.fail('Encrypt', { KeyId: keyId, Plaintext: b64('x') })).Code).toBe('Forbidden.KeyState');
      expect((await t.fail('GenerateDataKeyWithoutPlaintext', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');
      expect((await t.fail('EnableKey', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');
      expect((await t.fail('DisableKey', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');
      expect((await t.fail('CreateKeyVersion', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');
      expect((await t.fail('DeleteKeyMaterial', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');
      await t.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
      expect((await t.fail('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_1', WrappingKeySpec: 'RSA_2048' })).Code).toBe('Forbidden.KeyState');
      expect((await t.call('CancelKeyDeletion', { KeyId: keyId })).KeyState).toBe('PendingImport');
    });

    it('ImportKeyMaterial lands the material on BOTH members and removes the wrapping key pair everywhere', async () => {
      const before = objectIdsOnMembers().map((ids) => ids.length);
      const imported = await t.call('ImportKeyMaterial', { KeyId: keyId, ...(await wrapWithOpenssl()) });
      expect(imported).toMatchObject({ KeyId: keyId, KeyState: 'Enabled' });
      const versionId = (await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.PrimaryKeyVersion;
      expect(countOnMembers(versionId)).toEqual([1, 1]);
      // One secret key more on each member: the import key pair is gone again.
      expect(objectIdsOnMembers().map((ids) => ids.length)).toEqual(before.map((count) => count + 1));
      const { CiphertextBlob } = await t.call('Encrypt', { KeyId: keyId, Plaintext: b64('imported into the cluster') });
      expect(openOutside(CiphertextBlob)).toBe('imported into the cluster');
      // The replicated copy is the imported material too: each member opens the blob on its own.
      const blob = parseBlob(Buffer.from(CiphertextBlob, 'base64'));
      const mechanism = { kind: 'AES_GCM', iv: blob.iv, aad: additionalData(blob.header, undefined), tagBits: 128 } as const;
      for (const [index, fixture] of fixtures.entries()) {
        const client = new HsmModuleClient(fixture.moduleSpec, { launcher: createNodeWorkerLauncher() });
        try {
          const serial = serials[index] ?? '';
          await client.login({ serial, userPin: KMSUSER_PASSWORD });
          const opened = await client.decrypt({ serial, objectId: objectIdOf(versionId), mechanism, data: blob.sealed });
          expect(opened.toString(), labels[index]).toBe('imported into the cluster');
        } finally {
          await client.close();
        }
      }
    });

    it('DeleteKeyMaterial removes it from BOTH members; re-importing brings old ciphertext back on both', async () => {
      const { CiphertextBlob } = await t.call('Encrypt', { KeyId: keyId, Plaintext: b64('kept across re-import') });
      const versionId = (await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.PrimaryKeyVersion;
      expect(await t.call('DeleteKeyMaterial', { KeyId: keyId })).toMatchObject({ KeyState: 'PendingImport' });
      expect(countOnMembers(versionId)).toEqual([0, 0]);
      expect((await t.fail('Decrypt', { CiphertextBlob })).Code).toBe('Forbidden.KeyState');
      expect((await t.fail('DeleteKeyMaterial', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');

      await t.call('ImportKeyMaterial', { KeyId: keyId, ...(await wrapWithOpenssl()) });
      expect(countOnMembers(versionId)).toEqual([1, 1]);
      expect(Buffer.from((await t.call('Decrypt', { CiphertextBlob })).Plaintext, 'base64').toString()).toBe('kept across re-import');
    });

    it('imports on the member that holds the wrapping key pair, even when the member order changed in between', async () => {
      await t.call('DeleteKeyMaterial', { KeyId: keyId });
      const parameters = await wrapWithOpenssl();
      // The first member (which generated the wrapping key pair) goes away and comes back last.
      await loseMember(0);
      const absent = await t.fail('ImportKeyMaterial', { KeyId: keyId, ...parameters });
      expect(absent.Code).toBe('Forbidden.KeyStoreState');
      expect(absent.Message).toMatch(/wrapping key pair/);
      await bringMembersBack();
      expect(await t.call('ImportKeyMaterial', { KeyId: keyId, ...parameters })).toMatchObject({ KeyState: 'Enabled' });
      expect(countOnMembers((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.PrimaryKeyVersion)).toEqual([1, 1]);
      const { CiphertextBlob } = await t.call('Encrypt', { KeyId: keyId, Plaintext: b64('after the reorder') });
      expect(openOutside(CiphertextBlob)).toBe('after the reorder');
    });

    it('expired material is destroyed on BOTH members by the sweep, and a disabled key may still drop its material', async () => {
      const versionId = (await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.PrimaryKeyVersion;
      await t.call('DisableKey', { KeyId: keyId });
      expect(await t.call('DeleteKeyMaterial', { KeyId: keyId })).toMatchObject({ KeyState: 'PendingImport' });
      const expireUnix = Math.floor((clock + 3_600_000) / 1000);
      const imported = await t.call('ImportKeyMaterial', { KeyId: keyId, ...(await wrapWithOpenssl()), KeyMaterialExpireUnix: expireUnix });
      expect(imported.MaterialExpireTime).toBe(seedDate(expireUnix * 1000));
      expect(countOnMembers(versionId)).toEqual([1, 1]);
      advance(2 * 3_600_000);
      expect((await t.fail('Encrypt', { KeyId: keyId, Plaintext: b64('x') })).Code).toBe('Forbidden.KeyState');
      expect((await t.core.runMaintenance()).expired).toEqual([keyId]);
      expect((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata).toMatchObject({ KeyState: 'PendingImport', MaterialExpireTime: '', PrimaryKeyVersion: '' });
      expect(countOnMembers(versionId)).toEqual([0, 0]);
    });
  });

  it('an EC key pair made by openssl imports into the cluster: both halves on BOTH members, each signing as that key; Ed25519 is not replicated', async () => {
    const { KeyMetadata } = await t.call('CreateKey', { KeySpec: 'EC_P256', KeyUsage: 'SIGN/VERIFY', Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true, KeyStoreId: keyStoreId });
    const keyId = KeyMetadata.KeyId;
    const parameters = await t.call('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_1' });
    // The README recipe, in short: PKCS#8 under an ephemeral AES-256 key, that key under the wrapping key.
    const sh = (script: string): string => execFileSync('sh', ['-ec', script], { cwd: work, encoding: 'utf8', env: { ...process.env, PUBLIC_KEY: parameters.PublicKey } });
    sh(`echo "$PUBLIC_KEY" | base64 -d > wrap.der
openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out private.pem
openssl pkcs8 -topk8 -nocrypt -in private.pem -outform DER -out private.der
openssl rand -out aes.key 32
openssl enc -id-aes256-wrap-pad -iv A65959A6 -K "$(od -An -v -tx1 aes.key | tr -d ' \\n')" -in private.der -out private.wrapped
openssl pkeyutl -encrypt -pubin -keyform DER -inkey wrap.der -in aes.key -out aes.wrapped -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha1 -pkeyopt rsa_mgf1_md:sha1
cat aes.wrapped private.wrapped > material.bin`);
    const material = readFileSync(path.join(work, 'material.bin')).toString('base64');
    await t.call('ImportKeyMaterial', { KeyId: keyId, ImportToken: parameters.ImportToken, EncryptedKeyMaterial: material });
    const versionId = (await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.PrimaryKeyVersion;
    expect(countOnMembers(versionId)).toEqual([2, 2]);
    const publicPem = sh('openssl pkey -in private.pem -pubout');
    expect((await t.call('GetPublicKey', { KeyId: keyId })).PublicKey).toBe(publicPem);
    // Each member signs on its own with its copy; openssl's public key verifies both signatures.
    const digest = createHash('sha256').update('cluster import').digest();
    for (const [index, fixture] of fixtures.entries()) {
      const client = new HsmModuleClient(fixture.moduleSpec, { launcher: createNodeWorkerLauncher() });
      try {
        const serial = serials[index] ?? '';
        await client.login({ serial, userPin: KMSUSER_PASSWORD });
        const raw = await client.sign({ serial, objectId: objectIdOf(versionId), mechanism: 'ECDSA', data: digest });
        expect(createVerify('sha256').update('cluster import').verify({ key: publicPem, dsaEncoding: 'ieee-p1363' }, raw), labels[index]).toBe(true);
      } finally {
        await client.close();
      }
    }

    const ed25519 = await t.fail('CreateKey', { KeySpec: 'EC_ED25519', KeyStoreId: keyStoreId });
    expect(ed25519.Code).toBe('UnsupportedOperation');
    expect(ed25519.Message).toContain('Ed25519 private keys are not replicated');
    expect((await t.call('DescribeKeyStoreCapabilities', { KeyStoreId: keyStoreId })).KeySpecs).not.toContain('EC_ED25519');
  });

  it('a deletion that falls due while a member is down does not tombstone; it completes once the member is back', async () => {
    const key = await createKey('HMAC_SHA256');
    await t.call('ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 });
    advance(8 * DAY);
    await loseMember(1);
    const waiting = await t.core.runMaintenance();
    expect(waiting.deleted).not.toContain(key.keyId);
    expect(waiting.failed).toContainEqual({ keyId: key.keyId, code: 'HsmError.DeviceRemoved' });
    expect((await t.call('DescribeKey', { KeyId: key.keyId })).KeyMetadata.KeyState).toBe('PendingDeletion');
    // Nothing was destroyed on the member that stayed: the key is not half-deleted.
    expect(countOnMembers(key.versionId)).toEqual([1, 1]);

    // SyncCluster starts a maintenance round by itself once the member is back (the timer is 60 s away).
    await bringMembersBack();
    await expect.poll(async () => (await t.fail('DescribeKey', { KeyId: key.keyId }).catch(() => ({ Code: 'exists' }))).Code, { timeout: 10_000 }).toBe('NotFound.Key');
    expect(countOnMembers(key.versionId)).toEqual([0, 0]);
    expect((await t.call('VerifyAuditLog', {})).Valid).toBe(true);
  });
});
