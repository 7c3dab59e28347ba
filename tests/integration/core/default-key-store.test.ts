import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY_PASSWORD, createTestCore, disposeTestCore, type TestCore } from '../../support/test-core';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64');
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('default key store through the dispatcher (real SoftHSM2 + SQLite)', () => {
  let t: TestCore;
  let aesKeyId = '';
  let ecKeyId = '';

  beforeAll(async () => {
    t = await createTestCore();
  });
  afterAll(async () => {
    await disposeTestCore(t);
  });

  it('starts with an uninitialized, disconnected default key store', async () => {
    const { KeyStores } = await t.call('DescribeKeyStores', {});
    expect(KeyStores).toHaveLength(1);
    expect(KeyStores[0]).toMatchObject({ KeyStoreType: 'DEFAULT', Initialized: false, ConnectionState: 'DISCONNECTED', ProtectionLevel: 'SOFTWARE' });
  });

  it('refuses keys before the password is set', async () => {
    const error = await t.fail('CreateKey', { KeySpec: 'Aliyun_AES_256' });
    expect(error.Code).toBe('Forbidden.KeyStoreState');
  });

  it('enforces the password policy', async () => {
    expect((await t.fail('InitializeDefaultKeyStore', { KeyStorePassword: 'short1' })).Code).toBe('InvalidParameter');
    expect((await t.fail('InitializeDefaultKeyStore', { KeyStorePassword: 'lettersonlyhere' })).Code).toBe('InvalidParameter');
  });

  it('initializes with the officer password and connects', async () => {
    const result = await t.call('InitializeDefaultKeyStore', { KeyStorePassword: CANARY_PASSWORD });
    expect(result.ConnectionState).toBe('CONNECTED');
    const again = await t.fail('InitializeDefaultKeyStore', { KeyStorePassword: CANARY_PASSWORD });
    expect(again.Code).toBe('AlreadyExists.KeyStore');
  });

  it('creates an AES-256 key with full metadata', async () => {
    const { KeyMetadata } = await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyUsage: 'ENCRYPT/DECRYPT', Description: 'payroll' });
    aesKeyId = KeyMetadata.KeyId;
    expect(KeyMetadata).toMatchObject({
      KeySpec: 'Aliyun_AES_256',
      KeyUsage: 'ENCRYPT/DECRYPT',
      KeyState: 'Enabled',
      Origin: 'Aliyun_KMS',
      ProtectionLevel: 'SOFTWARE',
      KeyStoreId: 'kst-default',
      Description: 'payroll',
      Creator: 'test-officer',
      DeleteDate: '',
      AutomaticRotation: 'Disabled',
    });
    expect(KeyMetadata.Arn).toMatch(new RegExp(`^acs:kms:[a-z0-9-]+:[0-9]{16}:key/${aesKeyId}$`));
    expect(KeyMetadata.PrimaryKeyVersion).toMatch(/^[0-9a-f-]{36}$/);
    const byArn = await t.call('DescribeKey', { KeyId: KeyMetadata.Arn });
    expect(byArn.KeyMetadata).toEqual(KeyMetadata);
  });

  it('refuses a usage the spec cannot have', async () => {
    expect((await t.fail('CreateKey', { KeySpec: 'EC_P256', KeyUsage: 'ENCRYPT/DECRYPT' })).Code).toBe('Forbidden.KeyUsage');
    expect((await t.fail('CreateKey', { KeySpec: 'Aliyun_AES_256', ProtectionLevel: 'HSM' })).Code).toBe('InvalidParameter');
  });

  it('encrypts and decrypts with the self-describing blob, bound to the encryption context', async () => {
    const context = { purpose: 'test', tenant: 'a' };
    const encrypted = await t.call('Encrypt', { KeyId: aesKeyId, Plaintext: b64('attack at dawn'), EncryptionContext: context });
    expect(encrypted.KeyId).toBe(aesKeyId);
    const decrypted = await t.call('Decrypt', { CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { tenant: 'a', purpose: 'test' } });
    expect(Buffer.from(decrypted.Plaintext, 'base64').toString()).toBe('attack at dawn');
    expect(decrypted.KeyVersionId).toBe(encrypted.KeyVersionId);

    expect((await t.fail('Decrypt', { CiphertextBlob: encrypted.CiphertextBlob })).Code).toBe('InvalidCiphertext');
    const tampered = Buffer.from(encrypted.CiphertextBlob, 'base64');
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect((await t.fail('Decrypt', { CiphertextBlob: tampered.toString('base64'), EncryptionContext: context })).Code).toBe('InvalidCiphertext');
    expect((await t.fail('Decrypt', { CiphertextBlob: b64('not a blob at all, clearly not') })).Code).toBe('InvalidCiphertext');
  });

  it('refuses a "__proto__" context key instead of dropping it (it would bind nothing)', async () => {
    // As every transport delivers it: JSON.parse keeps "__proto__" as an own key.
    const tenantA = JSON.parse('{"__proto__": "tenant-A"}') as Record<string, string>;
    const refused = await t.fail('Encrypt', { KeyId: aesKeyId, Plaintext: b64('for tenant A'), EncryptionContext: tenantA });
    expect(refused.Code).toBe('InvalidParameter');
    expect(refused.Message).toContain('__proto__');
    const mixed = JSON.parse('{"tenant": "a", "__proto__": "tenant-B"}') as Record<string, string>;
    const encrypted = await t.call('Encrypt', { KeyId: aesKeyId, Plaintext: b64('for tenant A'), EncryptionContext: { tenant: 'a' } });
    expect((await t.fail('Decrypt', { CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: mixed })).Code).toBe('InvalidParameter');
    expect((await t.fail('TagResource', { KeyId: aesKeyId, Tags: [{ TagKey: '__proto__', TagValue: 'x' }] })).Code).toBe('InvalidParameter');
  });

  it('enforces the plaintext limit', async () => {
    const big = Buffer.alloc(6145, 1).toString('base64');
    expect((await t.fail('Encrypt', { KeyId: aesKeyId, Plaintext: big })).Code).toBe('InvalidParameter');
  });

  it('creates an EC P-256 key whose signatures verify against GetPublicKey', async () => {
    const { KeyMetadata } = await t.call('CreateKey', { KeySpec: 'EC_P256', KeyUsage: 'SIGN/VERIFY' });
    ecKeyId = KeyMetadata.KeyId;
    const digest = sha256('ceremony minutes');
    const signed = await t.call('AsymmetricSign', { KeyId: ecKeyId, Algorithm: 'ECDSA_SHA_256', Digest: digest });
    const { PublicKey } = await t.call('GetPublicKey', { KeyId: ecKeyId });
    expect(PublicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const ok = verifySignature('sha256', Buffer.from('ceremony minutes'), createPublicKey(PublicKey), Buffer.from(signed.Value, 'base64'));
    expect(ok).toBe(true);

    const verified = await t.call('AsymmetricVerify', { KeyId: ecKeyId, Algorithm: 'ECDSA_SHA_256', Digest: digest, Value: signed.Value });
    expect(verified.Value).toBe(true);
    const wrong = await t.call('AsymmetricVerify', { KeyId: ecKeyId, Algorithm: 'ECDSA_SHA_256', Digest: sha256('other'), Value: signed.Value });
    expect(wrong.Value).toBe(false);
    expect((await t.fail('AsymmetricSign', { KeyId: ecKeyId, Algorithm: 'RSA_PSS_SHA_256', Digest: digest })).Code).toBe('InvalidParameter');
    expect((await t.fail('Encrypt', { KeyId: ecKeyId, Plaintext: b64('x') })).Code).toBe('Forbidden.KeyUsage');
  });

  it('lists keys with filters and paging', async () => {
    const all = await t.call('ListKeys', {});
    expect(all.TotalCount).toBe(2);
    const ec = await t.call('ListKeys', { Filters: [{ Key: 'KeySpec', Values: ['EC_P256'] }] });
    expect(ec.Keys.map((key) => key.KeyId)).toEqual([ecKeyId]);
    const page = await t.call('ListKeys', { PageSize: 1, PageNumber: 2 });
    expect(page.Keys).toHaveLength(1);
    expect((await t.fail('DescribeKey', { KeyId: 'alias/missing' })).Code).toBe('NotFound.Alias');
    expect((await t.fail('DescribeKey', { KeyId: '00000000-0000-4000-8000-000000000000' })).Code).toBe('NotFound.Key');
  });

  it('locks and unlocks; a wrong password is HsmError.PinIncorrect and marks the store FAILED', async () => {
    await t.call('DisconnectKeyStore', { KeyStoreId: 'kst-default' });
    expect((await t.fail('Encrypt', { KeyId: aesKeyId, Plaintext: b64('x') })).Code).toBe('Forbidden.KeyStoreState');
    const wrong = await t.fail('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: 'Wrong1Password' });
    expect(wrong.Code).toBe('HsmError.PinIncorrect');
    expect(wrong.Message).not.toContain('Wrong1Password');
    const { KeyStores } = await t.call('DescribeKeyStores', { KeyStoreId: 'kst-default' });
    expect(KeyStores[0]).toMatchObject({ ConnectionState: 'FAILED', ConnectionErrorCode: 'INVALID_CREDENTIALS' });
    await t.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: CANARY_PASSWORD });
    await t.call('Encrypt', { KeyId: aesKeyId, Plaintext: b64('x') });
  });

  it('keeps a verifiable audit trail of changes, usage and failures', async () => {
    const { Events, TotalCount } = await t.call('ListAuditEvents', { PageSize: 100 });
    expect(TotalCount).toBe(Events.length);
    const operations = Events.map((event) => `${event.Operation}:${event.Outcome}`);
    expect(operations).toContain('InitializeDefaultKeyStore:SUCCESS');
    expect(operations).toContain('CreateKey:SUCCESS');
    expect(operations).toContain('Encrypt:SUCCESS');
    expect(operations).toContain('Decrypt:FAILURE');
    expect(operations).toContain('ConnectKeyStore:FAILURE');
    expect(JSON.stringify(Events)).not.toContain(CANARY_PASSWORD);
    const verification = await t.call('VerifyAuditLog', {});
    expect(verification).toMatchObject({ Valid: true, FirstBrokenSequence: null, CheckedRecords: TotalCount });
  });
});
