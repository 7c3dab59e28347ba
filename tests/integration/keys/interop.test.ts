import { execFileSync } from 'node:child_process';
import { createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTokenObjects, objectIdOf } from '../../support/pkcs11-tool';
import { CANARY_PASSWORD, createInitializedTestCore, disposeTestCore, removeDir, type TestCore } from '../../support/test-core';
import { seedDate } from '../../support/seed-date';

const HOUR = 3_600_000;
const b64 = (data: string | Buffer): string => (typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('base64');

/** Independent tools: openssl (signatures, import wrapping) and OpenSC pkcs11-tool (token objects). */
describe('interoperability with openssl and pkcs11-tool', () => {
  let t: TestCore;
  let work = '';
  let clock = Date.parse('2026-05-01T10:00:00.000Z');
  const file = (name: string): string => path.join(work, name);
  const openssl = (args: string[]): string => execFileSync('openssl', args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'keyward-interop-'));
    t = await createInitializedTestCore({ now: () => new Date(clock) });
  });
  afterAll(async () => {
    await disposeTestCore(t);
    removeDir(work);
  });

  describe('openssl verifies AsymmetricSign signatures against the GetPublicKey PEM', () => {
    const cases = [
      { spec: 'RSA_2048', algorithm: 'RSA_PSS_SHA_256', options: ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'] },
      { spec: 'RSA_2048', algorithm: 'RSA_PKCS1_SHA_256', options: [] },
      { spec: 'EC_P256', algorithm: 'ECDSA_SHA_256', options: [] },
      { spec: 'EC_P256K', algorithm: 'ECDSA_SHA_256', options: [] },
    ] as const;
    it.each(cases)('$spec $algorithm', async ({ spec, algorithm, options }) => {
      const keyId = (await t.call('CreateKey', { KeySpec: spec, KeyUsage: 'SIGN/VERIFY' })).KeyMetadata.KeyId;
      const message = Buffer.from(`ceremony minutes for ${spec} ${algorithm}`);
      const digest = createHash('sha256').update(message).digest('base64');
      const { Value } = await t.call('AsymmetricSign', { KeyId: keyId, Algorithm: algorithm, Digest: digest });
      writeFileSync(file('pub.pem'), (await t.call('GetPublicKey', { KeyId: keyId })).PublicKey);
      writeFileSync(file('msg'), message);
      writeFileSync(file('sig'), Buffer.from(Value, 'base64'));
      expect(openssl(['dgst', '-sha256', '-verify', 'pub.pem', ...options, '-signature', 'sig', 'msg'])).toContain('Verified OK');
      if (spec.startsWith('EC')) expect(openssl(['asn1parse', '-inform', 'DER', '-in', 'sig'])).toMatch(/SEQUENCE[\s\S]*INTEGER[\s\S]*INTEGER/);
      // A different message must fail: the check above can fail.
      writeFileSync(file('msg'), Buffer.from('forged minutes'));
      expect(() => openssl(['dgst', '-sha256', '-verify', 'pub.pem', ...options, '-signature', 'sig', 'msg'])).toThrow();
    });
  });

  describe('import of key material wrapped by openssl pkeyutl (RSA-OAEP SHA-1)', () => {
    let keyId = '';
    const material = randomBytes(32);

    /** GetParametersForImport, then openssl wraps `secret` with the returned public key. */
    const wrapWithOpenssl = async (id: string, secret: Buffer): Promise<{ token: string; wrapped: string }> => {
      const parameters = await t.call('GetParametersForImport', { KeyId: id, WrappingAlgorithm: 'RSAES_OAEP_SHA_1', WrappingKeySpec: 'RSA_2048' });
      writeFileSync(file('wrap.der'), Buffer.from(parameters.PublicKey, 'base64'));
      writeFileSync(file('material'), secret);
      openssl(['pkeyutl', '-encrypt', '-pubin', '-keyform', 'DER', '-inkey', 'wrap.der', '-in', 'material', '-out', 'wrapped',
        '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha1']);
      return { token: parameters.ImportToken, wrapped: readFileSync(file('wrapped')).toString('base64') };
    };

    beforeAll(async () => {
      keyId = (await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256', Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true })).KeyMetadata.KeyId;
    });

    it('hands out a 2048-bit SubjectPublicKeyInfo and a token valid for 24 h; refuses algorithms the token lacks, naming it', async () => {
      const parameters = await t.call('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_1', WrappingKeySpec: 'RSA_2048' });
      writeFileSync(file('check.der'), Buffer.from(parameters.PublicKey, 'base64'));
      expect(openssl(['pkey', '-pubin', '-inform', 'DER', '-in', 'check.der', '-text', '-noout'])).toContain('Public-Key: (2048 bit)');
      expect(parameters.TokenExpireTime).toBe(seedDate(clock + 24 * HOUR));
      const refused = await t.fail('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
      expect(refused.Code).toBe('UnsupportedOperation');
      expect(refused.Message).toMatch(/token \S+ \(SoftHSM.*\) does not support RSAES_OAEP_SHA_256 \(supported: RSAES_OAEP_SHA_1\)/);
      const generated = (await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256' })).KeyMetadata.KeyId;
      expect((await t.fail('GetParametersForImport', { KeyId: generated })).Code).toBe('UnsupportedOperation');
    });

    it('refuses foreign, malformed and expired imports', async () => {
      const other = (await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256', Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true })).KeyMetadata.KeyId;
      const foreign = await wrapWithOpenssl(other, material);
      expect((await t.fail('ImportKeyMaterial', { KeyId: keyId, ImportToken: foreign.token, EncryptedKeyMaterial: foreign.wrapped })).Code).toBe(
        'InvalidImportToken',
      );
      const garbage = await wrapWithOpenssl(keyId, material);
      expect((await t.fail('ImportKeyMaterial', { KeyId: keyId, ImportToken: garbage.token, EncryptedKeyMaterial: b64(randomBytes(256)) })).Code).toBe(
        'InvalidKeyMaterial',
      );
      const late = await wrapWithOpenssl(keyId, material);
      clock += 24 * HOUR + 1000;
      expect((await t.fail('ImportKeyMaterial', { KeyId: keyId, ImportToken: late.token, EncryptedKeyMaterial: late.wrapped })).Code).toBe(
        'ExpiredImportToken',
      );
      expect((await t.core.runMaintenance()).importTokensRemoved).toBeGreaterThanOrEqual(2);
      expect((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.KeyState).toBe('PendingImport');
    });

    it('imports inside the HSM; the key then encrypts and decrypts with exactly that material', async () => {
      const { token, wrapped } = await wrapWithOpenssl(keyId, material);
      const imported = await t.call('ImportKeyMaterial', { KeyId: keyId, ImportToken: token, EncryptedKeyMaterial: wrapped });
      expect(imported).toMatchObject({ KeyId: keyId, KeyState: 'Enabled', MaterialExpireTime: '' });
      expect((await t.fail('ImportKeyMaterial', { KeyId: keyId, ImportToken: token, EncryptedKeyMaterial: wrapped })).Code).toBe('Forbidden.KeyState');

      const { CiphertextBlob } = await t.call('Encrypt', { KeyId: keyId, Plaintext: b64('imported key works') });
      expect(Buffer.from((await t.call('Decrypt', { CiphertextBlob })).Plaintext, 'base64').toString()).toBe('imported key works');
      // Open the blob outside with the known material: header (35) | IV (12) | ciphertext | tag (16); AAD = header + "{}".
      const blob = Buffer.from(CiphertextBlob, 'base64');
      const header = blob.subarray(0, 35);
      const decipher = createDecipheriv('aes-256-gcm', material, blob.subarray(35, 47));
      decipher.setAAD(Buffer.concat([header, Buffer.from('{}')]));
      decipher.setAuthTag(blob.subarray(blob.length - 16));
      expect(Buffer.concat([decipher.update(blob.subarray(47, blob.length - 16)), decipher.final()]).toString()).toBe('imported key works');
    });

    it('DeleteKeyMaterial destroys the objects; re-importing the same material brings old ciphertext back', async () => {
      const { CiphertextBlob } = await t.call('Encrypt', { KeyId: keyId, Plaintext: b64('kept across re-import') });
      const versionId = (await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.PrimaryKeyVersion;
      expect(await t.call('DeleteKeyMaterial', { KeyId: keyId })).toMatchObject({ KeyState: 'PendingImport' });
      expect(listTokenObjects(t.dataDir, CANARY_PASSWORD).map((object) => object.id)).not.toContain(objectIdOf(versionId));
      expect((await t.fail('Decrypt', { CiphertextBlob })).Code).toBe('Forbidden.KeyState');
      expect((await t.fail('DeleteKeyMaterial', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');

      const again = await wrapWithOpenssl(keyId, material);
      const expireUnix = Math.floor((clock + HOUR) / 1000);
      const imported = await t.call('ImportKeyMaterial', { KeyId: keyId, ImportToken: again.token, EncryptedKeyMaterial: again.wrapped, KeyMaterialExpireUnix: expireUnix });
      expect(imported.MaterialExpireTime).toBe(seedDate(expireUnix * 1000));
      expect(Buffer.from((await t.call('Decrypt', { CiphertextBlob })).Plaintext, 'base64').toString()).toBe('kept across re-import');
    });

    it('honours MaterialExpireTime: refused once expired, back to PendingImport after the sweep', async () => {
      const versionId = (await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.PrimaryKeyVersion;
      clock += 2 * HOUR;
      expect((await t.fail('Encrypt', { KeyId: keyId, Plaintext: b64('x') })).Code).toBe('Forbidden.KeyState');
      expect((await t.core.runMaintenance()).expired).toEqual([keyId]);
      expect((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata).toMatchObject({ KeyState: 'PendingImport', MaterialExpireTime: '', PrimaryKeyVersion: '' });
      expect(listTokenObjects(t.dataDir, CANARY_PASSWORD).map((object) => object.id)).not.toContain(objectIdOf(versionId));
      const { Events } = await t.call('ListAuditEvents', { Filters: [{ Key: 'ResourceId', Values: [keyId] }], PageSize: 50 });
      expect(Events.map((event) => event.Operation)).toEqual(
        expect.arrayContaining(['GetParametersForImport', 'ImportKeyMaterial', 'DeleteKeyMaterial', 'ExpireKeyMaterial', 'ExpireImportToken']),
      );
    });

    it('imports HMAC material too', async () => {
      const hmac = (await t.call('CreateKey', { KeySpec: 'HMAC_SHA256', Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true })).KeyMetadata.KeyId;
      const secret = randomBytes(32);
      const { token, wrapped } = await wrapWithOpenssl(hmac, secret);
      await t.call('ImportKeyMaterial', { KeyId: hmac, ImportToken: token, EncryptedKeyMaterial: wrapped });
      const { Mac } = await t.call('GenerateMac', { KeyId: hmac, Message: b64('message') });
      expect(Mac).toBe(createHmac('sha256', secret).update('message').digest('base64'));
    });
  });

  it('pkcs11-tool sees every key object with CKA_SENSITIVE true and CKA_EXTRACTABLE false', async () => {
    const specs = ['Aliyun_AES_128', 'RSA_2048', 'EC_P256K', 'HMAC_SHA512'] as const;
    const versions = new Map<string, string>();
    for (const spec of specs) {
      versions.set(spec, (await t.call('CreateKey', { KeySpec: spec })).KeyMetadata.PrimaryKeyVersion);
    }
    const objects = listTokenObjects(t.dataDir, CANARY_PASSWORD);
    for (const spec of specs) {
      const mine = objects.filter((object) => object.id === objectIdOf(versions.get(spec) ?? ''));
      const secretOrPrivate = mine.filter((object) => object.kind !== 'Public Key');
      expect(secretOrPrivate, spec).toHaveLength(1);
      const [key] = secretOrPrivate;
      expect(key?.access, spec).toEqual(expect.arrayContaining(['sensitive', 'always sensitive', 'never extractable', 'local']));
      expect(key?.access, spec).not.toContain('extractable');
      expect(mine.map((object) => object.kind).sort(), spec).toEqual(spec.startsWith('RSA') || spec.startsWith('EC') ? ['Private Key', 'Public Key'] : ['Secret Key']);
    }
  });
});
