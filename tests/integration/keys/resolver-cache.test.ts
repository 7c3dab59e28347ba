import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY_PASSWORD, createInitializedTestCore, createTestCore, disposeTestCore, type TestCore } from '../../support/test-core';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/**
 * The key resolver caches resolved keys and versions (the crypto path's hot reads). Another core
 * on the same data directory (another SQLite connection, as a second process would be) changes
 * keys behind its back: every change must be seen by the very next call, with no wait.
 */
describe('resolved-key cache: changes from another core on the same data directory are seen at once', () => {
  let a: TestCore;
  let b: TestCore;

  beforeAll(async () => {
    a = await createInitializedTestCore();
    b = await createTestCore(a.dataDir);
    await b.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: CANARY_PASSWORD });
  });
  afterAll(async () => {
    await b.close();
    await disposeTestCore(a);
  });

  const encrypt = (keyId: string) => a.call('Encrypt', { KeyId: keyId, Plaintext: b64('payload') });

  it('disabled, enabled and scheduled for deletion elsewhere', async () => {
    const keyId = (await a.call('CreateKey', { KeySpec: 'Aliyun_AES_256' })).KeyMetadata.KeyId;
    const { CiphertextBlob } = await encrypt(keyId); // now cached in a
    await encrypt(keyId);
    await b.call('DisableKey', { KeyId: keyId });
    expect((await a.fail('Encrypt', { KeyId: keyId, Plaintext: b64('x') })).Code).toBe('Forbidden.KeyState');
    expect((await a.fail('Decrypt', { CiphertextBlob })).Code).toBe('Forbidden.KeyState');
    await b.call('EnableKey', { KeyId: keyId });
    await encrypt(keyId);
    await b.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    expect((await a.fail('Encrypt', { KeyId: keyId, Plaintext: b64('x') })).Code).toBe('Forbidden.KeyState');
  });

  it('rotated elsewhere: the next Encrypt uses the new primary version', async () => {
    const keyId = (await a.call('CreateKey', { KeySpec: 'Aliyun_AES_256' })).KeyMetadata.KeyId;
    const first = await encrypt(keyId);
    await encrypt(keyId);
    const { KeyVersion } = await b.call('CreateKeyVersion', { KeyId: keyId });
    expect(KeyVersion.KeyVersionId).not.toBe(first.KeyVersionId);
    expect((await encrypt(keyId)).KeyVersionId).toBe(KeyVersion.KeyVersionId);
    expect(Buffer.from((await a.call('Decrypt', { CiphertextBlob: first.CiphertextBlob })).Plaintext, 'base64').toString()).toBe('payload');
  });

  it('an alias moved or deleted elsewhere', async () => {
    const one = (await a.call('CreateKey', { KeySpec: 'Aliyun_AES_256' })).KeyMetadata.KeyId;
    const two = (await a.call('CreateKey', { KeySpec: 'Aliyun_AES_256' })).KeyMetadata.KeyId;
    await a.call('CreateAlias', { KeyId: one, AliasName: 'alias/moving' });
    expect((await encrypt('alias/moving')).KeyId).toBe(one);
    await b.call('UpdateAlias', { KeyId: two, AliasName: 'alias/moving' });
    expect((await encrypt('alias/moving')).KeyId).toBe(two);
    await b.call('DeleteAlias', { AliasName: 'alias/moving' });
    expect((await a.fail('Encrypt', { KeyId: 'alias/moving', Plaintext: b64('x') })).Code).toBe('NotFound.Alias');
  });

  it('changes made by the same core are seen at once too', async () => {
    const keyId = (await a.call('CreateKey', { KeySpec: 'Aliyun_AES_256' })).KeyMetadata.KeyId;
    await encrypt(keyId);
    await a.call('DisableKey', { KeyId: keyId });
    expect((await a.fail('Encrypt', { KeyId: keyId, Plaintext: b64('x') })).Code).toBe('Forbidden.KeyState');
  });
});
