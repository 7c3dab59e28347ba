/**
 * An XKS caller without a TLS client certificate (as AWS KMS calls a proxy without mTLS): the
 * proxy credential's SigV4 signature alone authenticates its XKS calls, while application calls on
 * the very same connection are still refused for want of a client key certificate. A certificate
 * that is presented must still be a live client key's. Real SoftHSM2 default store, real TLS.
 */
import { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInitializedTestCore, disposeTestCore, type TestCore } from '../../support/test-core';
import { agentFor, applicationCalls, createAccess, post, type ClientKey } from '../endpoint/endpoint-fixture';
import { METADATA, xksPost, type XksCredential } from './xks-fixture';

const b64 = (data: Buffer | string): string => Buffer.from(data).toString('base64');

describe('XKS Proxy API without a client certificate', () => {
  let t: TestCore;
  let port: number;
  let clientKey: ClientKey;
  let credential: XksCredential;
  let keyId: string;
  const base = '/no-mtls/kms/xks/v1';

  beforeAll(async () => {
    t = await createInitializedTestCore();
    keyId = (await t.call('CreateKey', {} as never)).KeyMetadata.KeyId;
    ({ clientKey } = await createAccess(t));
    credential = await t.call('CreateXksProxy', { Name: 'no-mtls', UriPath: '/no-mtls', KeyStoreId: 'kst-default' });
    port = (await t.call('StartApplicationEndpoint', { Address: '127.0.0.1', Port: 0 })).Port;
  }, 180_000);
  afterAll(async () => {
    await disposeTestCore(t);
  });

  it('serves health, encrypt and decrypt signed by the proxy credential, and refuses an application call on the same connection', async () => {
    // Trusts the instance CA for the server, presents nothing; one keep-alive connection for every call.
    const agent = new Agent({ ca: clientKey.CaCertificate, keepAlive: true, maxSockets: 1 });
    try {
      const health = await xksPost(port, agent, `${base}/health`, { requestMetadata: { kmsRequestId: 'h-1', kmsOperation: 'KmsHealthCheck' } }, credential);
      expect(health.status, health.body).toBe(200);
      expect(health.json).toMatchObject({ xksProxyVendor: 'Keyward' });
      const plaintext = b64('no client certificate');
      const sealed = await xksPost(port, agent, `${base}/keys/${keyId}/encrypt`, { requestMetadata: METADATA, encryptionAlgorithm: 'AES_GCM', plaintext }, credential);
      expect(sealed.status, sealed.body).toBe(200);
      const { ciphertext, ciphertextMetadata, initializationVector, authenticationTag } = sealed.json;
      const opened = await xksPost(
        port,
        agent,
        `${base}/keys/${keyId}/decrypt`,
        { requestMetadata: { ...METADATA, kmsOperation: 'Decrypt' }, encryptionAlgorithm: 'AES_GCM', ciphertext, ciphertextMetadata, initializationVector, authenticationTag },
        credential,
      );
      expect(opened.status, opened.body).toBe(200);
      expect(opened.json).toEqual({ plaintext });
      const application = await post(port, agent, '/v1/Encrypt', JSON.stringify({ KeyId: keyId, Plaintext: plaintext }));
      expect([application.status, JSON.parse(application.body).Code]).toEqual([401, 'Unauthenticated.ClientCertificate']);
      expect(application.localPort).toBe(health.localPort);
      // Without the signature the certificate-less caller is nobody.
      const unsigned = await post(port, agent, `${base}/health`, JSON.stringify({ requestMetadata: { kmsRequestId: 'h-2', kmsOperation: 'KmsHealthCheck' } }));
      expect([unsigned.status, JSON.parse(unsigned.body).errorName]).toEqual([401, 'AuthenticationFailedException']);
    } finally {
      agent.destroy();
    }
  });

  it('audits those XKS calls as the proxy credential, with no client key', async () => {
    const calls = await applicationCalls(t, `xks:no-mtls/${credential.AccessKeyId}`, 3);
    expect(calls.map((event) => `${event.Operation}:${event.Outcome}`).sort()).toEqual(['XksDecrypt:SUCCESS', 'XksEncrypt:SUCCESS', 'XksGetHealthStatus:SUCCESS']);
    for (const event of calls) expect(event.Details).toMatchObject({ Protocol: 'xks', AccessKeyId: credential.AccessKeyId, ClientKeyId: '', AapName: '' });
    expect(calls.find((event) => event.Operation === 'XksEncrypt')?.ResourceId).toBe(keyId);
  });

  it('still refuses a presented certificate whose client key was deleted', async () => {
    const { clientKey: revoked } = await createAccess(t);
    const agent = agentFor(revoked);
    try {
      const health = { requestMetadata: { kmsRequestId: 'h-3', kmsOperation: 'KmsHealthCheck' } };
      expect((await xksPost(port, agent, `${base}/health`, health, credential)).status).toBe(200);
      await t.call('DeleteClientKey', { ClientKeyId: revoked.ClientKeyId });
      const refused = await xksPost(port, agent, `${base}/health`, health, credential);
      expect([refused.status, refused.json.errorName]).toEqual([401, 'AuthenticationFailedException']);
      expect(refused.headers['x-keyward-error-code']).toBe('Unauthenticated.ClientKeyRevoked');
    } finally {
      agent.destroy();
    }
  });
});
