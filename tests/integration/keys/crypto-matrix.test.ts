import { constants, createHash, createPublicKey, publicEncrypt, verify as verifySignature } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeySpec, KeyUsage } from '../../../shared/contract';
import { b64, expectOaepRoundTrip, RSA_BYTES } from '../../support/crypto-checks';
import { createInitializedTestCore, disposeTestCore, type TestCore } from '../../support/test-core';

const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

const AES: KeySpec[] = ['Aliyun_AES_128', 'Aliyun_AES_192', 'Aliyun_AES_256'];
const RSA: KeySpec[] = ['RSA_2048', 'RSA_3072', 'RSA_4096'];
const EC: KeySpec[] = ['EC_P256', 'EC_P256K'];
const HMAC: KeySpec[] = ['HMAC_SHA256', 'HMAC_SHA512'];
const EDWARDS: KeySpec[] = ['EC_ED25519'];

/** Every KeySpec with every usage it allows; each key is generated once (RSA-4096 once per usage). */
const MATRIX: [KeySpec, KeyUsage][] = [
  ...AES.map((spec): [KeySpec, KeyUsage] => [spec, 'ENCRYPT/DECRYPT']),
  ...RSA.flatMap((spec): [KeySpec, KeyUsage][] => [
    [spec, 'ENCRYPT/DECRYPT'],
    [spec, 'SIGN/VERIFY'],
  ]),
  ...[...EC, ...EDWARDS].map((spec): [KeySpec, KeyUsage] => [spec, 'SIGN/VERIFY']),
  ...HMAC.map((spec): [KeySpec, KeyUsage] => [spec, 'GENERATE/VERIFY_MAC']),
];

describe('every KeySpec × every allowed operation on the default key store', () => {
  let t: TestCore;
  const keys = new Map<string, string>();
  const keyOf = (spec: KeySpec, usage: KeyUsage): string => keys.get(`${spec}|${usage}`) ?? '';

  beforeAll(async () => {
    t = await createInitializedTestCore();
    for (const [spec, usage] of MATRIX) {
      const { KeyMetadata } = await t.call('CreateKey', { KeySpec: spec, KeyUsage: usage, Description: `${spec} ${usage}` });
      keys.set(`${spec}|${usage}`, KeyMetadata.KeyId);
    }
  }, 120_000);
  afterAll(async () => {
    await disposeTestCore(t);
  });

  it.each(MATRIX)('%s (%s): DescribeKey returns every KeyMetadata field', async (spec, usage) => {
    const { KeyMetadata } = await t.call('DescribeKey', { KeyId: keyOf(spec, usage) });
    expect(Object.keys(KeyMetadata).sort()).toEqual(
      [
        'CreationDate', 'Description', 'KeyId', 'KeyState', 'KeyUsage', 'KeySpec', 'DeleteDate', 'Creator', 'Arn', 'Origin',
        'MaterialExpireTime', 'ProtectionLevel', 'KeyStoreId', 'PrimaryKeyVersion', 'AutomaticRotation', 'RotationInterval',
        'NextRotationDate', 'LastRotationDate',
      ].sort(),
    );
    expect(KeyMetadata).toMatchObject({ KeySpec: spec, KeyUsage: usage, KeyState: 'Enabled', Origin: 'Aliyun_KMS', ProtectionLevel: 'SOFTWARE' });
  });

  it.each(AES)('%s: Encrypt / Decrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext', async (spec) => {
    const keyId = keyOf(spec, 'ENCRYPT/DECRYPT');
    const context = { app: 'matrix' };
    const encrypted = await t.call('Encrypt', { KeyId: keyId, Plaintext: b64(Buffer.alloc(6144, 7)), EncryptionContext: context });
    const decrypted = await t.call('Decrypt', { CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context });
    expect(Buffer.from(decrypted.Plaintext, 'base64').equals(Buffer.alloc(6144, 7))).toBe(true);

    const dataKey = await t.call('GenerateDataKey', { KeyId: keyId, EncryptionContext: context });
    expect(Buffer.from(dataKey.Plaintext, 'base64')).toHaveLength(32);
    const opened = await t.call('Decrypt', { CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: context });
    expect(opened.Plaintext).toBe(dataKey.Plaintext);
    expect(Buffer.from((await t.call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_128' })).Plaintext, 'base64')).toHaveLength(16);
    expect(Buffer.from((await t.call('GenerateDataKey', { KeyId: keyId, NumberOfBytes: 1024 })).Plaintext, 'base64')).toHaveLength(1024);

    const hidden = await t.call('GenerateDataKeyWithoutPlaintext', { KeyId: keyId });
    expect(hidden).not.toHaveProperty('Plaintext');
    expect(Buffer.from((await t.call('Decrypt', { CiphertextBlob: hidden.CiphertextBlob })).Plaintext, 'base64')).toHaveLength(32);

    expect((await t.fail('Encrypt', { KeyId: keyId, Plaintext: b64(Buffer.alloc(6145)) })).Code).toBe('InvalidParameter');
    expect((await t.fail('GenerateDataKey', { KeyId: keyId, NumberOfBytes: 1025 })).Code).toBe('InvalidParameter');
    expect((await t.fail('AsymmetricSign', { KeyId: keyId, Algorithm: 'RSA_PSS_SHA_256', Digest: b64(Buffer.alloc(32)) })).Code).toBe('Forbidden.KeyUsage');
    expect((await t.fail('GetPublicKey', { KeyId: keyId })).Code).toBe('Forbidden.KeyUsage');
  });

  it.each(RSA)('%s ENCRYPT/DECRYPT: AsymmetricEncrypt / AsymmetricDecrypt (RSA-OAEP SHA-1), interoperable with OpenSSL', async (spec) => {
    const keyId = keyOf(spec, 'ENCRYPT/DECRYPT');
    const { limit, ciphertextBlob } = await expectOaepRoundTrip(t, keyId, spec);

    // Encrypted outside with the published public key, decrypted inside the HSM.
    const { PublicKey } = await t.call('GetPublicKey', { KeyId: keyId });
    const outside = publicEncrypt({ key: createPublicKey(PublicKey), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from('from outside'));
    const inside = await t.call('AsymmetricDecrypt', { KeyId: keyId, Algorithm: 'RSAES_OAEP_SHA_1', CiphertextBlob: b64(outside) });
    expect(Buffer.from(inside.Plaintext, 'base64').toString()).toBe('from outside');

    // RSA-4096's bound is the contract's own (470 bytes); smaller keys are refused by the service.
    expect((await t.fail('AsymmetricEncrypt', { KeyId: keyId, Algorithm: 'RSAES_OAEP_SHA_1', Plaintext: b64(Buffer.alloc(limit + 1)) })).Code).toBe('InvalidParameter');
    const sha256Refusal = await t.fail('AsymmetricEncrypt', { KeyId: keyId, Algorithm: 'RSAES_OAEP_SHA_256', Plaintext: b64('x') });
    expect(sha256Refusal.Code).toBe('UnsupportedOperation');
    expect(sha256Refusal.Message).toMatch(/token .*SoftHSM.*does not support RSAES_OAEP_SHA_256/);
    const tampered = Buffer.from(ciphertextBlob, 'base64');
    tampered[10] = (tampered[10] ?? 0) ^ 0xff;
    expect((await t.fail('AsymmetricDecrypt', { KeyId: keyId, Algorithm: 'RSAES_OAEP_SHA_1', CiphertextBlob: b64(tampered) })).Code).toBe('InvalidCiphertext');
    expect((await t.fail('AsymmetricSign', { KeyId: keyId, Algorithm: 'RSA_PSS_SHA_256', Digest: b64(Buffer.alloc(32)) })).Code).toBe('Forbidden.KeyUsage');
    expect((await t.fail('Encrypt', { KeyId: keyId, Plaintext: b64('x') })).Code).toBe('Forbidden.KeyUsage');
  });

  it.each(RSA)('%s SIGN/VERIFY: RSA_PSS_SHA_256 and RSA_PKCS1_SHA_256 signatures verify outside and inside', async (spec) => {
    const keyId = keyOf(spec, 'SIGN/VERIFY');
    const message = Buffer.from(`signed by ${spec}`);
    const digest = b64(sha256(message));
    const publicKey = createPublicKey((await t.call('GetPublicKey', { KeyId: keyId })).PublicKey);
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe((RSA_BYTES[spec] ?? 0) * 8);
    for (const algorithm of ['RSA_PSS_SHA_256', 'RSA_PKCS1_SHA_256'] as const) {
      const signed = await t.call('AsymmetricSign', { KeyId: keyId, Algorithm: algorithm, Digest: digest });
      const signature = Buffer.from(signed.Value, 'base64');
      expect(signature).toHaveLength(RSA_BYTES[spec] ?? 0);
      const padding = algorithm === 'RSA_PSS_SHA_256' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING;
      expect(verifySignature('sha256', message, { key: publicKey, padding, saltLength: 32 }, signature)).toBe(true);
      expect((await t.call('AsymmetricVerify', { KeyId: keyId, Algorithm: algorithm, Digest: digest, Value: signed.Value })).Value).toBe(true);
      const other = b64(sha256(Buffer.from('something else')));
      expect((await t.call('AsymmetricVerify', { KeyId: keyId, Algorithm: algorithm, Digest: other, Value: signed.Value })).Value).toBe(false);
    }
    expect((await t.fail('AsymmetricSign', { KeyId: keyId, Algorithm: 'ECDSA_SHA_256', Digest: digest })).Code).toBe('InvalidParameter');
    expect((await t.fail('AsymmetricEncrypt', { KeyId: keyId, Algorithm: 'RSAES_OAEP_SHA_1', Plaintext: b64('x') })).Code).toBe('Forbidden.KeyUsage');
  });

  it.each(EC)('%s: ECDSA_SHA_256 DER signatures verify outside and inside', async (spec) => {
    const keyId = keyOf(spec, 'SIGN/VERIFY');
    const message = Buffer.from(`signed by ${spec}`);
    const digest = b64(sha256(message));
    const publicKey = createPublicKey((await t.call('GetPublicKey', { KeyId: keyId })).PublicKey);
    expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe(spec === 'EC_P256' ? 'prime256v1' : 'secp256k1');
    const signed = await t.call('AsymmetricSign', { KeyId: keyId, Algorithm: 'ECDSA_SHA_256', Digest: digest });
    expect(Buffer.from(signed.Value, 'base64')[0]).toBe(0x30);
    expect(verifySignature('sha256', message, publicKey, Buffer.from(signed.Value, 'base64'))).toBe(true);
    expect((await t.call('AsymmetricVerify', { KeyId: keyId, Algorithm: 'ECDSA_SHA_256', Digest: digest, Value: signed.Value })).Value).toBe(true);
    expect((await t.call('AsymmetricVerify', { KeyId: keyId, Algorithm: 'ECDSA_SHA_256', Digest: digest, Value: b64('not der') })).Value).toBe(false);
    expect((await t.fail('AsymmetricSign', { KeyId: keyId, Algorithm: 'RSA_PKCS1_SHA_256', Digest: digest })).Code).toBe('InvalidParameter');
    expect((await t.fail('GenerateMac', { KeyId: keyId, Message: b64('x') })).Code).toBe('Forbidden.KeyUsage');
  });

  it.each(EDWARDS)('%s: ED25519_SHA_512 signs the message itself; signatures verify outside and inside', async (spec) => {
    const keyId = keyOf(spec, 'SIGN/VERIFY');
    const message = Buffer.from(`signed by ${spec}`);
    const publicKey = createPublicKey((await t.call('GetPublicKey', { KeyId: keyId })).PublicKey);
    expect(publicKey.asymmetricKeyType).toBe('ed25519');
    const signed = await t.call('AsymmetricSign', { KeyId: keyId, Algorithm: 'ED25519_SHA_512', Digest: b64(message) });
    expect(verifySignature(null, message, publicKey, Buffer.from(signed.Value, 'base64'))).toBe(true);
    expect((await t.call('AsymmetricVerify', { KeyId: keyId, Algorithm: 'ED25519_SHA_512', Digest: b64(message), Value: signed.Value })).Value).toBe(true);
    expect((await t.fail('AsymmetricSign', { KeyId: keyId, Algorithm: 'ECDSA_SHA_256', Digest: b64(sha256(message)) })).Code).toBe('InvalidParameter');
    expect((await t.fail('AsymmetricEncrypt', { KeyId: keyId, Algorithm: 'RSAES_OAEP_SHA_1', Plaintext: b64('x') })).Code).toBe('Forbidden.KeyUsage');
  });

  it.each(HMAC)('%s: GenerateMac / VerifyMac', async (spec) => {
    const keyId = keyOf(spec, 'GENERATE/VERIFY_MAC');
    const message = b64(Buffer.alloc(4096, 3));
    const { Mac, KeyVersionId } = await t.call('GenerateMac', { KeyId: keyId, Message: message });
    expect(Buffer.from(Mac, 'base64')).toHaveLength(spec === 'HMAC_SHA256' ? 32 : 64);
    expect((await t.call('GenerateMac', { KeyId: keyId, Message: message })).Mac).toBe(Mac);
    expect(await t.call('VerifyMac', { KeyId: keyId, Message: message, Mac })).toMatchObject({ KeyId: keyId, KeyVersionId, MacValid: true });
    expect((await t.call('VerifyMac', { KeyId: keyId, Message: b64('other'), Mac })).MacValid).toBe(false);
    expect((await t.call('VerifyMac', { KeyId: keyId, Message: message, Mac: b64(Buffer.alloc(8)) })).MacValid).toBe(false);
    expect((await t.fail('GenerateMac', { KeyId: keyId, Message: b64(Buffer.alloc(4097)) })).Code).toBe('InvalidParameter');
    expect((await t.fail('Encrypt', { KeyId: keyId, Plaintext: b64('x') })).Code).toBe('Forbidden.KeyUsage');
    expect((await t.fail('GetPublicKey', { KeyId: keyId })).Code).toBe('Forbidden.KeyUsage');
    await t.call('DisableKey', { KeyId: keyId });
    expect((await t.fail('GenerateMac', { KeyId: keyId, Message: message })).Code).toBe('Forbidden.KeyState');
    await t.call('EnableKey', { KeyId: keyId });
  });

  it('refuses usages a spec cannot have at CreateKey', async () => {
    for (const [spec, usage] of [
      ['Aliyun_AES_256', 'SIGN/VERIFY'],
      ['EC_P256', 'ENCRYPT/DECRYPT'],
      ['EC_P256K', 'GENERATE/VERIFY_MAC'],
      ['HMAC_SHA256', 'ENCRYPT/DECRYPT'],
      ['RSA_2048', 'GENERATE/VERIFY_MAC'],
    ] as const) {
      expect((await t.fail('CreateKey', { KeySpec: spec, KeyUsage: usage })).Code, `${spec} ${usage}`).toBe('Forbidden.KeyUsage');
    }
    expect((await t.fail('CreateKey', { KeySpec: 'EC_ED25519', Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true })).Code).toBe('UnsupportedOperation');
    expect((await t.fail('CreateKey', { KeySpec: 'EC_P256', Origin: 'EXTERNAL' })).Code).toBe('InvalidParameter');
  });

  it('lists the matrix with filters', async () => {
    const rsa = await t.call('ListKeys', { Filters: [{ Key: 'KeySpec', Values: RSA }, { Key: 'KeyUsage', Values: ['SIGN/VERIFY'] }] });
    expect(rsa.TotalCount).toBe(3);
    const store = await t.call('ListKeys', { Filters: [{ Key: 'KeyStoreId', Values: ['kst-default'] }, { Key: 'ProtectionLevel', Values: ['SOFTWARE'] }], PageSize: 5 });
    expect(store.TotalCount).toBe(MATRIX.length);
    expect(store.Keys).toHaveLength(5);
  });
});
