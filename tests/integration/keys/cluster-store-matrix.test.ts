/**
 * Every KeySpec × every allowed operation on a private key store backed by a local 2-HSM cluster
 * (two SoftHSM2 tokens), as crypto-matrix.test.ts does for the default store. Beyond the API, each
 * key version must exist on BOTH members (pkcs11-tool lists them) and each member's copy must work
 * on its own: an independent PKCS#11 client decrypts, signs and MACs on each token directly.
 */
import { constants, createHash, createPublicKey, publicEncrypt, verify as verifySignature } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeySpec, KeyUsage } from '../../../shared/contract';
import { b64, expectOaepRoundTrip, RSA_BYTES } from '../../support/crypto-checks';
import { HsmModuleClient } from '../../../electron/main/hsm/client';
import { createNodeWorkerLauncher } from '../../../electron/main/hsm/node-launcher';
import { additionalData, parseBlob } from '../../../electron/main/services/crypto/ciphertext-blob';
import { bringUpKeyStore, createClusterWithMembers, KMSUSER_PASSWORD, SO_PIN, softHsmMember } from '../../support/cluster-flow';
import { listObjectsOn, objectIdOf } from '../../support/pkcs11-tool';
import { createSoftHsmFixture, initializeTokenWithUtil, type SoftHsmFixture } from '../../support/softhsm';
import { createTestCore, removeDir, type TestCore } from '../../support/test-core';

const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

const AES: KeySpec[] = ['Aliyun_AES_128', 'Aliyun_AES_192', 'Aliyun_AES_256'];
const RSA_ENCRYPT: KeySpec[] = ['RSA_2048', 'RSA_3072'];
// RSA-4096 is generated once (0.7-1.3 s on SoftHSM2): as a signing key.
const RSA_SIGN: KeySpec[] = ['RSA_2048', 'RSA_3072', 'RSA_4096'];
const EC: KeySpec[] = ['EC_P256', 'EC_P256K'];
const HMAC: KeySpec[] = ['HMAC_SHA256', 'HMAC_SHA512'];

const MATRIX: [KeySpec, KeyUsage][] = [
  ...AES.map((spec): [KeySpec, KeyUsage] => [spec, 'ENCRYPT/DECRYPT']),
  ...RSA_ENCRYPT.map((spec): [KeySpec, KeyUsage] => [spec, 'ENCRYPT/DECRYPT']),
  ...RSA_SIGN.map((spec): [KeySpec, KeyUsage] => [spec, 'SIGN/VERIFY']),
  ...EC.map((spec): [KeySpec, KeyUsage] => [spec, 'SIGN/VERIFY']),
  ...HMAC.map((spec): [KeySpec, KeyUsage] => [spec, 'GENERATE/VERIFY_MAC']),
];

interface Member {
  serial: string;
  label: string;
}

describe('every KeySpec × every allowed operation on a 2-HSM cluster key store', () => {
  let t: TestCore;
  let fixture: SoftHsmFixture;
  let keyStoreId = '';
  let members: Member[] = [];
  const keys = new Map<string, { keyId: string; versionId: string }>();
  const keyOf = (spec: KeySpec, usage: KeyUsage): string => keys.get(`${spec}|${usage}`)?.keyId ?? '';

  /** A PKCS#11 client of its own (not Keyward's worker), logged in on both members after the keys exist. */
  let outside: HsmModuleClient;
  async function onEachMember(fn: (client: HsmModuleClient, member: Member) => Promise<void>): Promise<void> {
    for (const member of members) await fn(outside, member);
  }

  beforeAll(async () => {
    t = await createTestCore();
    fixture = await createSoftHsmFixture();
    const firstSerial = initializeTokenWithUtil(fixture, 'vendor-token', SO_PIN);
    const setUp = await createClusterWithMembers(t, 'matrix-cluster', [softHsmMember(fixture, 'zone-a', { tokenSerial: firstSerial }), softHsmMember(fixture, 'zone-b')]);
    ({ keyStoreId } = await bringUpKeyStore(t, setUp, 'matrix-store'));
    const { Cluster } = await t.call('DescribeCluster', { ClusterId: setUp.clusterId });
    members = Cluster.Hsms.map((hsm) => ({ serial: hsm.TokenSerial ?? '', label: hsm.Label }));
    for (const [spec, usage] of MATRIX) {
      const { KeyMetadata } = await t.call('CreateKey', { KeySpec: spec, KeyUsage: usage, KeyStoreId: keyStoreId, ProtectionLevel: 'HSM', Description: `${spec} ${usage}` });
      keys.set(`${spec}|${usage}`, { keyId: KeyMetadata.KeyId, versionId: KeyMetadata.PrimaryKeyVersion });
    }
    outside = new HsmModuleClient(fixture.moduleSpec, { launcher: createNodeWorkerLauncher() });
    for (const member of members) await outside.login({ serial: member.serial, userPin: KMSUSER_PASSWORD });
  }, 120_000);
  afterAll(async () => {
    await outside.close();
    await t.close();
    await fixture.cleanup();
    removeDir(t.dataDir);
  });

  it('has two distinct members, and DescribeKey reports ProtectionLevel HSM in the cluster store for every key', async () => {
    expect(new Set(members.map((member) => member.serial)).size).toBe(2);
    for (const [spec, usage] of MATRIX) {
      const { KeyMetadata } = await t.call('DescribeKey', { KeyId: keyOf(spec, usage) });
      expect(KeyMetadata, `${spec} ${usage}`).toMatchObject({ KeySpec: spec, KeyUsage: usage, KeyState: 'Enabled', Origin: 'Aliyun_KMS', ProtectionLevel: 'HSM', KeyStoreId: keyStoreId });
    }
    const listed = await t.call('ListKeys', { Filters: [{ Key: 'KeyStoreId', Values: [keyStoreId] }, { Key: 'ProtectionLevel', Values: ['HSM'] }], PageSize: 100 });
    expect(listed.TotalCount).toBe(MATRIX.length);
  });

  it('holds every key version on BOTH member tokens (seen by pkcs11-tool), sensitive and never in plaintext', () => {
    for (const member of members) {
      const objects = listObjectsOn({ confPath: fixture.confPath, tokenLabel: member.label, pin: KMSUSER_PASSWORD });
      for (const [spec, usage] of MATRIX) {
        const mine = objects.filter((object) => object.id === objectIdOf(keys.get(`${spec}|${usage}`)?.versionId ?? ''));
        const expected = spec.startsWith('RSA') || spec.startsWith('EC') ? ['Private Key', 'Public Key'] : ['Secret Key'];
        expect(mine.map((object) => object.kind).sort(), `${spec} ${usage} on ${member.label}`).toEqual(expected);
        const secret = mine.find((object) => object.kind !== 'Public Key');
        expect(secret?.access, `${spec} on ${member.label}`).toContain('sensitive');
      }
    }
  });

  it.each(AES)('%s: Encrypt / Decrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext; each member opens the blob itself', async (spec) => {
    const keyId = keyOf(spec, 'ENCRYPT/DECRYPT');
    const context = { app: 'cluster-matrix' };
    const plaintext = Buffer.alloc(6144, 7);
    const encrypted = await t.call('Encrypt', { KeyId: keyId, Plaintext: b64(plaintext), EncryptionContext: context });
    const decrypted = await t.call('Decrypt', { CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context });
    expect(Buffer.from(decrypted.Plaintext, 'base64').equals(plaintext)).toBe(true);
    expect((await t.fail('Decrypt', { CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { app: 'other' } })).Code).toBe('InvalidCiphertext');

    const dataKey = await t.call('GenerateDataKey', { KeyId: keyId, EncryptionContext: context });
    expect(Buffer.from(dataKey.Plaintext, 'base64')).toHaveLength(32);
    expect((await t.call('Decrypt', { CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: context })).Plaintext).toBe(dataKey.Plaintext);
    expect(Buffer.from((await t.call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_128' })).Plaintext, 'base64')).toHaveLength(16);
    expect(Buffer.from((await t.call('GenerateDataKey', { KeyId: keyId, NumberOfBytes: 1024 })).Plaintext, 'base64')).toHaveLength(1024);
    const hidden = await t.call('GenerateDataKeyWithoutPlaintext', { KeyId: keyId });
    expect(hidden).not.toHaveProperty('Plaintext');
    expect(Buffer.from((await t.call('Decrypt', { CiphertextBlob: hidden.CiphertextBlob })).Plaintext, 'base64')).toHaveLength(32);

    // The replicated copy is the same key: each member decrypts Keyward's blob on its own.
    const blob = parseBlob(Buffer.from(encrypted.CiphertextBlob, 'base64'));
    const mechanism = { kind: 'AES_GCM', iv: blob.iv, aad: additionalData(blob.header, context), tagBits: 128 } as const;
    await onEachMember(async (client, member) => {
      const opened = await client.decrypt({ serial: member.serial, objectId: objectIdOf(encrypted.KeyVersionId), mechanism, data: blob.sealed });
      expect(opened.equals(plaintext), member.label).toBe(true);
    });
    expect((await t.fail('AsymmetricSign', { KeyId: keyId, Algorithm: 'RSA_PSS_SHA_256', Digest: b64(Buffer.alloc(32)) })).Code).toBe('Forbidden.KeyUsage');
    expect((await t.fail('GetPublicKey', { KeyId: keyId })).Code).toBe('Forbidden.KeyUsage');
  });

  it.each(RSA_ENCRYPT)('%s ENCRYPT/DECRYPT: AsymmetricEncrypt / AsymmetricDecrypt (RSA-OAEP SHA-1); each member decrypts', async (spec) => {
    const keyId = keyOf(spec, 'ENCRYPT/DECRYPT');
    await expectOaepRoundTrip(t, keyId, spec);

    const { PublicKey, KeyVersionId } = await t.call('GetPublicKey', { KeyId: keyId });
    expect(createPublicKey(PublicKey).asymmetricKeyDetails?.modulusLength).toBe((RSA_BYTES[spec] ?? 0) * 8);
    const outside = publicEncrypt({ key: createPublicKey(PublicKey), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from('from outside'));
    const inside = await t.call('AsymmetricDecrypt', { KeyId: keyId, Algorithm: 'RSAES_OAEP_SHA_1', CiphertextBlob: b64(outside) });
    expect(Buffer.from(inside.Plaintext, 'base64').toString()).toBe('from outside');
    await onEachMember(async (client, member) => {
      const opened = await client.decrypt({ serial: member.serial, objectId: objectIdOf(KeyVersionId), mechanism: { kind: 'RSA_OAEP_SHA1' }, data: outside });
      expect(opened.toString(), member.label).toBe('from outside');
    });
    expect((await t.fail('AsymmetricEncrypt', { KeyId: keyId, Algorithm: 'RSAES_OAEP_SHA_256', Plaintext: b64('x') })).Code).toBe('UnsupportedOperation');
    expect((await t.fail('AsymmetricSign', { KeyId: keyId, Algorithm: 'RSA_PKCS1_SHA_256', Digest: b64(Buffer.alloc(32)) })).Code).toBe('Forbidden.KeyUsage');
  });

  it.each(RSA_SIGN)('%s SIGN/VERIFY: RSA_PSS_SHA_256 and RSA_PKCS1_SHA_256 verify outside and inside; each member signs', async (spec) => {
    const keyId = keyOf(spec, 'SIGN/VERIFY');
    const message = Buffer.from(`signed by the cluster with ${spec}`);
    const digest = b64(sha256(message));
    const { PublicKey, KeyVersionId } = await t.call('GetPublicKey', { KeyId: keyId });
    const publicKey = createPublicKey(PublicKey);
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe((RSA_BYTES[spec] ?? 0) * 8);
    for (const algorithm of ['RSA_PSS_SHA_256', 'RSA_PKCS1_SHA_256'] as const) {
      const signed = await t.call('AsymmetricSign', { KeyId: keyId, Algorithm: algorithm, Digest: digest });
      const padding = algorithm === 'RSA_PSS_SHA_256' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING;
      expect(verifySignature('sha256', message, { key: publicKey, padding, saltLength: 32 }, Buffer.from(signed.Value, 'base64'))).toBe(true);
      expect((await t.call('AsymmetricVerify', { KeyId: keyId, Algorithm: algorithm, Digest: digest, Value: signed.Value })).Value).toBe(true);
      const other = b64(sha256(Buffer.from('something else')));
      expect((await t.call('AsymmetricVerify', { KeyId: keyId, Algorithm: algorithm, Digest: other, Value: signed.Value })).Value).toBe(false);
    }
    await onEachMember(async (client, member) => {
      const signature = await client.sign({ serial: member.serial, objectId: objectIdOf(KeyVersionId), mechanism: 'RSA_PKCS_SHA256_DIGEST', data: sha256(message) });
      expect(verifySignature('sha256', message, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature), member.label).toBe(true);
    });
    expect((await t.fail('AsymmetricSign', { KeyId: keyId, Algorithm: 'ECDSA_SHA_256', Digest: digest })).Code).toBe('InvalidParameter');
  });

  it.each(EC)('%s: ECDSA_SHA_256 DER signatures verify outside and inside; each member signs', async (spec) => {
    const keyId = keyOf(spec, 'SIGN/VERIFY');
    const message = Buffer.from(`signed by the cluster with ${spec}`);
    const digest = b64(sha256(message));
    const { PublicKey, KeyVersionId } = await t.call('GetPublicKey', { KeyId: keyId });
    const publicKey = createPublicKey(PublicKey);
    expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe(spec === 'EC_P256' ? 'prime256v1' : 'secp256k1');
    const signed = await t.call('AsymmetricSign', { KeyId: keyId, Algorithm: 'ECDSA_SHA_256', Digest: digest });
    expect(verifySignature('sha256', message, publicKey, Buffer.from(signed.Value, 'base64'))).toBe(true);
    expect((await t.call('AsymmetricVerify', { KeyId: keyId, Algorithm: 'ECDSA_SHA_256', Digest: digest, Value: signed.Value })).Value).toBe(true);
    expect((await t.call('AsymmetricVerify', { KeyId: keyId, Algorithm: 'ECDSA_SHA_256', Digest: b64(sha256(Buffer.from('x'))), Value: signed.Value })).Value).toBe(false);
    await onEachMember(async (client, member) => {
      // PKCS#11 signs as raw r||s.
      const raw = await client.sign({ serial: member.serial, objectId: objectIdOf(KeyVersionId), mechanism: 'ECDSA', data: sha256(message) });
      expect(verifySignature('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw), member.label).toBe(true);
    });
    expect((await t.fail('AsymmetricSign', { KeyId: keyId, Algorithm: 'RSA_PSS_SHA_256', Digest: digest })).Code).toBe('InvalidParameter');
    expect((await t.fail('GenerateMac', { KeyId: keyId, Message: b64('x') })).Code).toBe('Forbidden.KeyUsage');
  });

  it.each(HMAC)('%s: GenerateMac / VerifyMac; each member computes the same MAC', async (spec) => {
    const keyId = keyOf(spec, 'GENERATE/VERIFY_MAC');
    const message = Buffer.alloc(4096, 3);
    const { Mac, KeyVersionId } = await t.call('GenerateMac', { KeyId: keyId, Message: b64(message) });
    expect(Buffer.from(Mac, 'base64')).toHaveLength(spec === 'HMAC_SHA256' ? 32 : 64);
    expect(await t.call('VerifyMac', { KeyId: keyId, Message: b64(message), Mac })).toMatchObject({ KeyId: keyId, KeyVersionId, MacValid: true });
    expect((await t.call('VerifyMac', { KeyId: keyId, Message: b64('other'), Mac })).MacValid).toBe(false);
    await onEachMember(async (client, member) => {
      const mechanism = spec === 'HMAC_SHA256' ? 'SHA256_HMAC' : 'SHA512_HMAC';
      const mac = await client.sign({ serial: member.serial, objectId: objectIdOf(KeyVersionId), mechanism, data: message });
      expect(mac.toString('base64'), member.label).toBe(Mac);
    });
    expect((await t.fail('Encrypt', { KeyId: keyId, Plaintext: b64('x') })).Code).toBe('Forbidden.KeyUsage');
    expect((await t.fail('GetPublicKey', { KeyId: keyId })).Code).toBe('Forbidden.KeyUsage');
  });
});
