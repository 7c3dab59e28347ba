/**
 * Two Keyward cores in one test, each on its own SoftHSM2 token and SQLite file: core A serves an
 * XKS proxy over its default key store on its application endpoint; core B uses that proxy as an
 * EXTERNAL_KEY_STORE. Round trips, the double encryption (neither side alone opens a ciphertext),
 * the key checks at CreateKey, and what B answers while A's proxy is away and once it is back.
 */
import { createHash } from 'node:crypto';
import { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { additionalData } from '../../../electron/main/services/crypto/ciphertext-blob';
import { METADATA, xksPost } from './xks-fixture';
import { createInitializedTestCore, disposeTestCore, type TestCore } from '../../support/test-core';

const b64 = (data: string): string => Buffer.from(data).toString('base64');

/** The proxy's layer of a format-2 blob (electron/main/services/crypto/ciphertext-blob.ts), and the AAD Keyward gave the proxy. */
function outerLayerOf(blob: Buffer): { iv: Buffer; tag: Buffer; metadata: Buffer; ciphertext: Buffer; aad: Buffer } {
  const header = blob.subarray(0, 35);
  expect(header[2]).toBe(2);
  let offset = 35;
  const field = (): Buffer => {
    const length = blob[offset] ?? 0;
    const value = blob.subarray(offset + 1, offset + 1 + length);
    offset += 1 + length;
    return value;
  };
  const [iv, tag, metadata] = [field(), field(), field()];
  return { iv, tag, metadata, ciphertext: blob.subarray(offset), aad: createHash('sha256').update(additionalData(header, undefined)).digest() };
}

describe('External key store backed by another Keyward core’s XKS proxy', () => {
  let proxyCore: TestCore;
  let core: TestCore;
  let proxyPort: number;
  let externalKeyAtProxy: string;
  let keyStoreId: string;
  let keyId: string;
  let credential: { AccessKeyId: string; SecretAccessKey: string };
  let caCertificate: string;

  beforeAll(async () => {
    [proxyCore, core] = await Promise.all([createInitializedTestCore(), createInitializedTestCore()]);
    externalKeyAtProxy = (await proxyCore.call('CreateKey', { Alias: 'alias/held-for-b' } as never)).KeyMetadata.KeyId;
    credential = await proxyCore.call('CreateXksProxy', { Name: 'for-b', UriPath: '/for-b', KeyStoreId: 'kst-default' });
    proxyPort = (await proxyCore.call('StartApplicationEndpoint', { Address: '127.0.0.1', Port: 0 })).Port;
    caCertificate = (await proxyCore.call('GetInstanceCaCertificate', {})).CaCertificate;
    keyStoreId = (
      await core.call('CreateKeyStore', {
        KeyStoreName: 'held-by-a',
        KeyStoreType: 'EXTERNAL_KEY_STORE',
        XksProxyUriEndpoint: `https://127.0.0.1:${proxyPort}`,
        XksProxyUriPath: '/for-b/kms/xks/v1',
        XksProxyAuthenticationCredential: { AccessKeyId: credential.AccessKeyId, RawSecretAccessKey: credential.SecretAccessKey },
        XksProxyCaCertificate: caCertificate,
      })
    ).KeyStoreId;
  }, 240_000);
  afterAll(async () => {
    await Promise.all([core && disposeTestCore(core), proxyCore && disposeTestCore(proxyCore)]);
  });

  it('connects by probing the proxy’s health and shows the proxy without its secret', async () => {
    expect((await core.call('ConnectKeyStore', { KeyStoreId: keyStoreId })).ConnectionState).toBe('CONNECTED');
    const [store] = (await core.call('DescribeKeyStores', { KeyStoreId: keyStoreId })).KeyStores;
    expect(store).toMatchObject({
      KeyStoreType: 'EXTERNAL_KEY_STORE',
      ConnectionState: 'CONNECTED',
      XksProxyConfiguration: { AccessKeyId: credential.AccessKeyId, UriEndpoint: `https://127.0.0.1:${proxyPort}`, UriPath: '/for-b/kms/xks/v1', Connectivity: 'PUBLIC_ENDPOINT' },
      XksProxyHealth: { ErrorCode: null, XksProxyVendor: 'Keyward' },
    });
    expect(JSON.stringify(store)).not.toContain(credential.SecretAccessKey);
    const { Events } = await core.call('ListAuditEvents', { PageSize: 50 } as never);
    expect(JSON.stringify(Events)).not.toContain(credential.SecretAccessKey);
  });

  it('creates a key for an AES-256 key at the proxy, by id or alias, and refuses what an external store cannot hold', async () => {
    const created = await core.call('CreateKey', { KeyStoreId: keyStoreId, Origin: 'EXTERNAL_KEY_STORE', XksKeyId: externalKeyAtProxy, Alias: 'alias/external' } as never);
    keyId = created.KeyMetadata.KeyId;
    expect(created.KeyMetadata).toMatchObject({ Origin: 'EXTERNAL_KEY_STORE', KeyStoreId: keyStoreId, XksKeyConfiguration: { Id: externalKeyAtProxy }, KeyState: 'Enabled' });
    await core.call('CreateKey', { KeyStoreId: keyStoreId, Origin: 'EXTERNAL_KEY_STORE', XksKeyId: 'held-for-b' } as never);
    expect((await core.fail('CreateKey', { KeyStoreId: keyStoreId, Origin: 'EXTERNAL_KEY_STORE', XksKeyId: 'no-such-key' })).Code).toBe('XksKey.NotFound');
    expect((await core.fail('CreateKey', { KeyStoreId: keyStoreId, KeySpec: 'RSA_2048', Origin: 'EXTERNAL_KEY_STORE', XksKeyId: externalKeyAtProxy })).Code).toBe('UnsupportedOperation');
    expect((await core.fail('CreateKey', { KeyStoreId: keyStoreId })).Code).toBe('UnsupportedOperation');
    expect((await core.fail('CreateKey', { KeyStoreId: keyStoreId, Origin: 'EXTERNAL_KEY_STORE', XksKeyId: externalKeyAtProxy, EnableAutomaticRotation: true })).Code).toBe('UnsupportedOperation');
    expect((await core.fail('CreateKey', { Origin: 'EXTERNAL_KEY_STORE', XksKeyId: externalKeyAtProxy })).Code).toBe('InvalidParameter');
    expect((await core.fail('CreateKeyVersion', { KeyId: keyId })).Code).toBe('UnsupportedOperation');
  });

  it('encrypts twice over (its own HSM, then the proxy): round trips, data keys, context binding', async () => {
    const sealed = await core.call('Encrypt', { KeyId: 'alias/external', Plaintext: b64('wire transfer 4711'), EncryptionContext: { purpose: 'test' } });
    const opened = await core.call('Decrypt', { CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { purpose: 'test' } });
    expect(Buffer.from(opened.Plaintext, 'base64').toString()).toBe('wire transfer 4711');
    expect((await core.fail('Decrypt', { CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { purpose: 'other' } })).Code).toBe('InvalidCiphertext');
    const dataKey = await core.call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' } as never);
    expect((await core.call('Decrypt', { CiphertextBlob: dataKey.CiphertextBlob })).Plaintext).toBe(dataKey.Plaintext);
    const withoutPlaintext = await core.call('GenerateDataKeyWithoutPlaintext', { KeyId: keyId } as never);
    expect(Buffer.from((await core.call('Decrypt', { CiphertextBlob: withoutPlaintext.CiphertextBlob })).Plaintext, 'base64')).toHaveLength(32);
    expect((await core.fail('Encrypt', { KeyId: keyId, Plaintext: Buffer.alloc(4273).toString('base64') })).Code).toBe('InvalidParameter');
    // Every call reached the proxy, audited there with the requestMetadata core B sent.
    const { Events } = await proxyCore.call('ListAuditEvents', { PageSize: 100, Filters: [{ Key: 'Operation', Values: ['XksEncrypt'] }] } as never);
    expect(Events.some((event) => event.Outcome === 'SUCCESS' && String(event.Details.KmsOperation ?? event.Details.kmsOperation ?? '').length > 0)).toBe(true);
  });

  it('cannot be opened by either side alone', async () => {
    const plaintext = 'only both together';
    const blob = Buffer.from((await core.call('Encrypt', { KeyId: keyId, Plaintext: b64(plaintext) })).CiphertextBlob, 'base64');
    expect(blob.includes(Buffer.from(plaintext))).toBe(false);
    // The proxy's key alone removes only the outer layer: what is left is core B's HSM ciphertext.
    const outer = outerLayerOf(blob);
    const agent = new Agent({ ca: caCertificate });
    try {
      const answer = await xksPost(proxyPort, agent, `/for-b/kms/xks/v1/keys/${externalKeyAtProxy}/decrypt`, {
        requestMetadata: { ...METADATA, kmsOperation: 'Decrypt' },
        encryptionAlgorithm: 'AES_GCM',
        ciphertext: outer.ciphertext.toString('base64'),
        initializationVector: outer.iv.toString('base64'),
        authenticationTag: outer.tag.toString('base64'),
        additionalAuthenticatedData: outer.aad.toString('base64'),
        ...(outer.metadata.length > 0 ? { ciphertextMetadata: outer.metadata.toString('base64') } : {}),
      }, { AccessKeyId: credential.AccessKeyId, SecretAccessKey: credential.SecretAccessKey });
      expect(answer.status, answer.body).toBe(200);
      const inner = Buffer.from(String(answer.json.plaintext), 'base64');
      expect(inner).toHaveLength(Buffer.byteLength(plaintext) + 12 + 16);
      expect(inner.includes(Buffer.from(plaintext))).toBe(false);
    } finally {
      agent.destroy();
    }
    // Core B's HSM alone: with the proxy refusing (its key disabled at A), B cannot open it.
    await proxyCore.call('DisableKey', { KeyId: externalKeyAtProxy });
    try {
      expect((await core.fail('Decrypt', { CiphertextBlob: blob.toString('base64') })).Code).toBe('XksKey.InvalidState');
      expect((await core.fail('Encrypt', { KeyId: keyId, Plaintext: b64('x') })).Code).toBe('XksKey.InvalidState');
    } finally {
      await proxyCore.call('EnableKey', { KeyId: externalKeyAtProxy });
    }
    expect(Buffer.from((await core.call('Decrypt', { CiphertextBlob: blob.toString('base64') })).Plaintext, 'base64').toString()).toBe(plaintext);
  });

  it('fails clearly while the proxy is away, and works again when it is back', async () => {
    const blob = (await core.call('Encrypt', { KeyId: keyId, Plaintext: b64('kept') })).CiphertextBlob;
    await proxyCore.call('StopApplicationEndpoint', {});
    expect((await core.fail('Decrypt', { CiphertextBlob: blob })).Code).toBe('XksProxy.Unreachable');
    const [away] = (await core.call('DescribeKeyStores', { KeyStoreId: keyStoreId })).KeyStores;
    expect(away?.XksProxyHealth?.ErrorCode).toBe('XksProxy.Unreachable');
    await proxyCore.call('StartApplicationEndpoint', { Address: '127.0.0.1', Port: proxyPort });
    expect(Buffer.from((await core.call('Decrypt', { CiphertextBlob: blob })).Plaintext, 'base64').toString()).toBe('kept');
    const [back] = (await core.call('DescribeKeyStores', { KeyStoreId: keyStoreId })).KeyStores;
    expect(back?.XksProxyHealth?.ErrorCode).toBeNull();
  });

  it('refuses a reconnect with a rotated-away credential, and connects after UpdateKeyStore', async () => {
    const proxyId = (await proxyCore.call('DescribeXksProxies', {})).XksProxies[0]?.XksProxyId ?? '';
    const rotated = await proxyCore.call('RotateXksProxyCredential', { XksProxyId: proxyId });
    await proxyCore.call('RetireXksProxyCredential', { XksProxyId: proxyId });
    await core.call('DisconnectKeyStore', { KeyStoreId: keyStoreId });
    expect((await core.fail('ConnectKeyStore', { KeyStoreId: keyStoreId })).Code).toBe('XksProxy.AccessDenied');
    const [failed] = (await core.call('DescribeKeyStores', { KeyStoreId: keyStoreId })).KeyStores;
    expect([failed?.ConnectionState, failed?.ConnectionErrorCode]).toEqual(['FAILED', 'XKS_PROXY_ACCESS_DENIED']);
    await core.call('UpdateKeyStore', { KeyStoreId: keyStoreId, XksProxyAuthenticationCredential: { AccessKeyId: rotated.AccessKeyId, RawSecretAccessKey: rotated.SecretAccessKey } });
    expect((await core.call('ConnectKeyStore', { KeyStoreId: keyStoreId })).ConnectionState).toBe('CONNECTED');
    expect((await core.fail('UpdateKeyStore', { KeyStoreId: keyStoreId, XksProxyUriPath: '/other/kms/xks/v1' })).Code).toBe('Forbidden.KeyStoreState');
    expect((await core.call('Encrypt', { KeyId: keyId, Plaintext: b64('after rotation') })).KeyId).toBe(keyId);
    expect((await core.call('VerifyAuditLog', {} as never)).Valid).toBe(true);
  });

  it('keeps the keys’ own material in the default key store: reconciled and verified there, destroyed at deletion', async () => {
    const report = await core.call('ReconcileKeyStore', { KeyStoreId: 'kst-default' } as never);
    expect([report.OrphanObjects, report.MissingMaterial]).toEqual([[], []]);
    expect(report.Summary.KeyVersionsChecked).toBeGreaterThanOrEqual(2);
    const material = await core.call('VerifyKeyStoreMaterial', { KeyStoreId: 'kst-default' } as never);
    expect(material.Problems).toEqual([]);
    expect((await core.fail('DeleteKeyStore', { KeyStoreId: keyStoreId })).Code).toBe('Forbidden.KeyStoreState');
    expect(await core.call('DescribeKeyStoreCapabilities', { KeyStoreId: keyStoreId })).toMatchObject({ KeySpecs: ['Aliyun_AES_256'], WrappingAlgorithms: [] });
    expect((await core.fail('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })).Code).toBe('UnsupportedOperation');
    expect((await core.fail('UpdateRotationPolicy', { KeyId: keyId, EnableAutomaticRotation: true })).Code).toBe('UnsupportedOperation');
  });
});
