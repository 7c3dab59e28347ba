/**
 * The XKS Proxy API through the running application endpoint (real SoftHSM2 tokens, SQLite file),
 * as AWS KMS calls it: mutual TLS with a client key certificate, SigV4 for kms-xks-proxy with a
 * proxy credential (signed by @smithy/signature-v4 and by curl --aws-sigv4).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest, type Agent } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bringUpKeyStore, createClusterWithMembers, softHsmMember } from '../../support/cluster-flow';
import { createSoftHsmFixture, type SoftHsmFixture } from '../../support/softhsm';
import { createInitializedTestCore, disposeTestCore, type TestCore } from '../../support/test-core';
import { agentFor, applicationCalls, CLIENT_PASSWORD, createAccess, type ClientKey } from '../endpoint/endpoint-fixture';
import { METADATA, xksPost, type XksCredential } from './xks-fixture';

const run = promisify(execFile);
const b64 = (data: Buffer | string): string => Buffer.from(data).toString('base64');

describe('XKS Proxy API', () => {
  let t: TestCore;
  let fixture: SoftHsmFixture;
  let port: number;
  let clientKey: ClientKey;
  let agent: Agent;
  let credential: XksCredential;
  let proxyId: string;
  let keyId: string;
  let clusterKeyId: string;
  let hsmIds: string[];
  const base = '/tenant-a/kms/xks/v1';

  const call = (route: string, body: object, as = credential, options = {}) => xksPost(port, agent, `${base}/${route}`, body, as, options);
  const encrypt = (key: string, fields: object) => call(`keys/${key}/encrypt`, { requestMetadata: METADATA, encryptionAlgorithm: 'AES_GCM', ...fields });
  const decrypt = (key: string, fields: object) => call(`keys/${key}/decrypt`, { requestMetadata: { ...METADATA, kmsOperation: 'Decrypt' }, encryptionAlgorithm: 'AES_GCM', ...fields });

  beforeAll(async () => {
    t = await createInitializedTestCore();
    fixture = await createSoftHsmFixture();
    const setUp = await createClusterWithMembers(t, 'xks-cluster', [softHsmMember(fixture, 'zone-a')], true);
    hsmIds = setUp.hsmIds;
    const { keyStoreId } = await bringUpKeyStore(t, setUp, 'xks-cluster-store');
    clusterKeyId = (await t.call('CreateKey', { KeyStoreId: keyStoreId } as never)).KeyMetadata.KeyId;
    keyId = (await t.call('CreateKey', { Alias: 'alias/xks-data' } as never)).KeyMetadata.KeyId;
    ({ clientKey } = await createAccess(t));
    agent = agentFor(clientKey);
    const created = await t.call('CreateXksProxy', { Name: 'tenant-a', UriPath: '/tenant-a', KeyStoreId: 'kst-default' });
    ({ XksProxyId: proxyId } = created);
    credential = created;
    await t.call('CreateXksProxy', { Name: 'cluster', UriPath: '/cluster', KeyStoreId: keyStoreId });
    port = (await t.call('StartApplicationEndpoint', { Address: '127.0.0.1', Port: 0 })).Port;
  }, 240_000);
  afterAll(async () => {
    agent?.destroy();
    await disposeTestCore(t);
    await fixture?.cleanup();
  });

  it('answers GetKeyMetadata by key id and by alias name', async () => {
    for (const name of [keyId, 'xks-data']) {
      const answer = await call(`keys/${name}/metadata`, { requestMetadata: { ...METADATA, kmsOperation: 'CreateKey' } });
      expect(answer.status, answer.body).toBe(200);
      expect(answer.headers['content-type']).toBe('application/json');
      expect(answer.json).toEqual({ keySpec: 'AES_256', keyUsage: ['ENCRYPT', 'DECRYPT'], keyStatus: 'ENABLED' });
    }
  });

  it('encrypts in the HSM and decrypts back, with AAD, ciphertextMetadata and an integrity value computed independently', async () => {
    const aad = Buffer.from('project=nile,department=marketing');
    const plaintext = Buffer.from('Hello World!');
    const sealed = await encrypt(keyId, { plaintext: b64(plaintext), additionalAuthenticatedData: b64(aad), ciphertextDataIntegrityValueAlgorithm: 'SHA_256' });
    expect(sealed.status, sealed.body).toBe(200);
    const field = (name: string): Buffer => Buffer.from(String(sealed.json[name]), 'base64');
    expect(field('ciphertext')).toHaveLength(plaintext.length);
    expect(field('initializationVector')).toHaveLength(12);
    expect(field('authenticationTag')).toHaveLength(16);
    expect(field('ciphertextMetadata').length).toBeLessThanOrEqual(20);
    const expected = createHash('sha256')
      .update(Buffer.concat([aad, field('ciphertextMetadata'), field('initializationVector'), field('ciphertext'), field('authenticationTag')]))
      .digest('base64');
    expect(sealed.json.ciphertextDataIntegrityValue).toBe(expected);
    const fields = { ciphertext: sealed.json.ciphertext, ciphertextMetadata: sealed.json.ciphertextMetadata, initializationVector: sealed.json.initializationVector, authenticationTag: sealed.json.authenticationTag };
    const opened = await decrypt('xks-data', { ...fields, additionalAuthenticatedData: b64(aad) });
    expect(opened.status, opened.body).toBe(200);
    expect(opened.json).toEqual({ plaintext: b64(plaintext) });
    // Wrong AAD, no AAD, metadata moved into the AAD, a flipped ciphertext byte: InvalidCiphertextException.
    const flipped = Buffer.from(String(fields.ciphertext), 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    for (const changed of [
      { ...fields, additionalAuthenticatedData: b64('project=amazon') },
      fields,
      { ...fields, ciphertextMetadata: undefined, additionalAuthenticatedData: fields.ciphertextMetadata },
      { ...fields, additionalAuthenticatedData: b64(aad), ciphertext: b64(flipped) },
    ]) {
      const refused = await decrypt(keyId, changed);
      expect(refused.status).toBe(400);
      expect(refused.json.errorName).toBe('InvalidCiphertextException');
    }
    // Without the integrity algorithm there is no integrity value.
    expect((await encrypt(keyId, { plaintext: b64('x') })).json).not.toHaveProperty('ciphertextDataIntegrityValue');
  });

  it('accepts a 4,300-byte plaintext with an 8,192-byte AAD, and answers 501 beyond the spec’s sizes', async () => {
    const plaintext = Buffer.alloc(4300, 0x5a);
    const aad = Buffer.alloc(8192, 0x41);
    const sealed = await encrypt(keyId, { plaintext: b64(plaintext), additionalAuthenticatedData: b64(aad) });
    expect(sealed.status, sealed.body).toBe(200);
    const { ciphertext, ciphertextMetadata, initializationVector, authenticationTag } = sealed.json;
    const opened = await decrypt(keyId, { ciphertext, ciphertextMetadata, initializationVector, authenticationTag, additionalAuthenticatedData: b64(aad) });
    expect(opened.json.plaintext).toBe(b64(plaintext));
    const tooLong = await encrypt(keyId, { plaintext: b64(Buffer.alloc(4301)) });
    expect([tooLong.status, tooLong.json.errorName]).toEqual([501, 'UnsupportedOperationException']);
  });

  it('answers the spec’s errors for disabled keys, foreign keys, bad input and wrong paths', async () => {
    await t.call('DisableKey', { KeyId: keyId });
    try {
      expect((await call(`keys/${keyId}/metadata`, { requestMetadata: METADATA })).json.keyStatus).toBe('DISABLED');
      const refused = await encrypt(keyId, { plaintext: b64('x') });
      expect([refused.status, refused.json.errorName]).toEqual([400, 'InvalidStateException']);
    } finally {
      await t.call('EnableKey', { KeyId: keyId });
    }
    // A key of another store, Keyward's own access-keys CMK (same store) and an unknown name: not found.
    for (const name of [clusterKeyId, 'keyward', 'no-such-alias']) {
      const refused = await call(`keys/${name}/metadata`, { requestMetadata: METADATA });
      expect([refused.status, refused.json.errorName], name).toEqual([404, 'KeyNotFoundException']);
    }
    const noAlgorithm = await call(`keys/${keyId}/encrypt`, { requestMetadata: METADATA, plaintext: b64('x') });
    expect([noAlgorithm.status, noAlgorithm.json.errorName]).toEqual([400, 'ValidationException']);
    const noMetadata = await call(`keys/${keyId}/encrypt`, { encryptionAlgorithm: 'AES_GCM', plaintext: b64('x') });
    expect([noMetadata.status, noMetadata.json.errorName]).toEqual([400, 'ValidationException']);
    const wrongPath = await xksPost(port, agent, '/tenant-b/kms/xks/v1/health', { requestMetadata: METADATA }, credential);
    expect([wrongPath.status, wrongPath.json.errorName]).toEqual([404, 'InvalidUriPathException']);
    const wrongOperation = await call(`keys/${keyId}/sign`, { requestMetadata: METADATA });
    expect([wrongOperation.status, wrongOperation.json.errorName]).toEqual([404, 'InvalidUriPathException']);
    const get = await new Promise<number>((resolve, reject) => {
      const request = httpsRequest({ host: '127.0.0.1', port, path: `${base}/health`, method: 'GET', agent }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end();
    });
    expect(get).toBe(405);
  });

  it('answers signed but hostile bodies with ValidationException and an oversized one before parsing, changing nothing', async () => {
    const keysBefore = (await t.call('ListKeys', {} as never)).TotalCount;
    const route = `${base}/keys/${keyId}/encrypt`;
    const hostile = ['{"requestMetadata": ', '[1, 2]', 'null', '"text"', '{"requestMetadata": {"__proto__": {"x": 1}}}', `{"plaintext": ${'['.repeat(5000)}`, '\u0000'];
    for (const body of hostile) {
      const refused = await xksPost(port, agent, route, body, credential);
      expect([refused.status, refused.json.errorName], body.slice(0, 40)).toEqual([400, 'ValidationException']);
    }
    // Beyond the body bound: refused while reading, as the spec answers sizes a proxy does not take.
    const oversized = await xksPost(port, agent, route, `{"plaintext": "${'A'.repeat(80 * 1024)}"}`, credential);
    expect([oversized.status, oversized.json.errorName]).toEqual([501, 'UnsupportedOperationException']);
    const health = await call('health', { requestMetadata: { kmsRequestId: METADATA.kmsRequestId, kmsOperation: 'CreateCustomKeyStore' } });
    expect(health.status).toBe(200);
    expect((await t.call('ListKeys', {} as never)).TotalCount).toBe(keysBefore);
    expect((await t.call('VerifyAuditLog', {} as never)).Valid).toBe(true);
  });

  it('reports each HSM of the store in GetHealthStatus', async () => {
    const health = await call('health', { requestMetadata: { kmsRequestId: 'r-1', kmsOperation: 'KmsHealthCheck' } });
    expect(health.status, health.body).toBe(200);
    expect(health.json).toMatchObject({ xksProxyFleetSize: 1, xksProxyVendor: 'Keyward' });
    expect(health.json.ekmFleetDetails).toEqual([expect.objectContaining({ healthStatus: 'ACTIVE' })]);
    const clusterProxy = (await t.call('DescribeXksProxies', {})).XksProxies.find((proxy) => proxy.Name === 'cluster');
    const rotated = await t.call('RotateXksProxyCredential', { XksProxyId: clusterProxy?.XksProxyId ?? '' });
    const clusterHealth = await xksPost(port, agent, '/cluster/kms/xks/v1/health', { requestMetadata: { kmsRequestId: 'r-2', kmsOperation: 'KmsHealthCheck' } }, rotated);
    expect(clusterHealth.status, clusterHealth.body).toBe(200);
    expect((clusterHealth.json.ekmFleetDetails as { id: string }[]).map((entry) => entry.id)).toEqual(hsmIds);
    // The cluster proxy serves the cluster's key, and refuses the default store's.
    expect((await xksPost(port, agent, `/cluster/kms/xks/v1/keys/${clusterKeyId}/metadata`, { requestMetadata: METADATA }, rotated)).status).toBe(200);
    expect((await xksPost(port, agent, `/cluster/kms/xks/v1/keys/${keyId}/metadata`, { requestMetadata: METADATA }, rotated)).json.errorName).toBe('KeyNotFoundException');
  });

  it('refuses bad signatures, another service, a stale date, unknown or foreign access keys with AuthenticationFailedException', async () => {
    const health = { requestMetadata: { kmsRequestId: 'r', kmsOperation: 'KmsHealthCheck' } };
    const clusterProxy = (await t.call('DescribeXksProxies', {})).XksProxies.find((proxy) => proxy.Name === 'cluster');
    const cases = [
      await call('health', health, { ...credential, SecretAccessKey: `${credential.SecretAccessKey.slice(0, -1)}${credential.SecretAccessKey.endsWith('A') ? 'B' : 'A'}` }),
      await call('health', health, credential, { service: 'kms' }),
      await call('health', health, credential, { signingDate: new Date(Date.now() - 6 * 60_000) }),
      await call('health', health, { ...credential, AccessKeyId: 'AAAAAAAAAAAAAAAAAAAA' }),
      await call('health', health, { ...credential, AccessKeyId: clusterProxy?.AccessKeyIds[0] ?? '' }),
      await call('health', health, credential, { sentBody: JSON.stringify({ ...health, extra: 1 }) }),
    ];
    for (const refused of cases) expect([refused.status, refused.json.errorName], refused.body).toEqual([401, 'AuthenticationFailedException']);
    expect((await call('health', health, credential, { region: 'eu-west-1' })).status).toBe(200);
  });

  it('keeps old and new credentials valid after a rotation until the old one is retired', async () => {
    const health = { requestMetadata: { kmsRequestId: 'r', kmsOperation: 'KmsHealthCheck' } };
    const rotated = await t.call('RotateXksProxyCredential', { XksProxyId: proxyId });
    expect((await call('health', health, credential)).status).toBe(200);
    expect((await call('health', health, rotated)).status).toBe(200);
    await t.call('RetireXksProxyCredential', { XksProxyId: proxyId });
    expect((await call('health', health, credential)).json.errorName).toBe('AuthenticationFailedException');
    expect((await call('health', health, rotated)).status).toBe(200);
    credential = rotated;
  });

  it('answers curl --aws-sigv4 "aws:amz:us-east-1:kms-xks-proxy" with the client key PKCS#12', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keyward-xks-curl-'));
    try {
      const p12 = path.join(dir, 'client.p12');
      const ca = path.join(dir, 'ca.pem');
      writeFileSync(p12, Buffer.from(clientKey.PrivateKeyData, 'base64'));
      writeFileSync(ca, clientKey.CaCertificate);
      const curl = (route: string, body: object, user = `${credential.AccessKeyId}:${credential.SecretAccessKey}`) =>
        run('curl', [
          '--silent', '--show-error', '--aws-sigv4', 'aws:amz:us-east-1:kms-xks-proxy', '--user', user,
          '--cert-type', 'P12', '--cert', `${p12}:${CLIENT_PASSWORD}`, '--cacert', ca,
          '-X', 'POST', '-H', 'Content-Type:application/json', '--data', JSON.stringify(body), `https://127.0.0.1:${port}${base}/${route}`,
        ]);
      const { stdout } = await curl(`keys/${keyId}/encrypt`, { requestMetadata: { ...METADATA, kmsOperation: 'GenerateDataKey' }, plaintext: b64('Hello World!'), encryptionAlgorithm: 'AES_GCM' });
      const sealed = JSON.parse(stdout) as Record<string, string>;
      expect(Buffer.from(sealed.ciphertext ?? '', 'base64')).toHaveLength(12);
      const health = JSON.parse((await curl('health', { requestMetadata: { kmsOperation: 'KmsHealthCheck', kmsRequestId: 'curl-1' } })).stdout) as Record<string, unknown>;
      expect(health.xksProxyVendor).toBe('Keyward');
      const refused = JSON.parse((await curl('health', {}, `${credential.AccessKeyId}:wrong-secret-wrong-secret-wrong-secret-wrong`)).stdout) as Record<string, unknown>;
      expect(refused.errorName).toBe('AuthenticationFailedException');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('audits every XKS call with its proxy, credential and requestMetadata, never the plaintext or secrets', async () => {
    const actor = `xks:tenant-a/${credential.AccessKeyId}`;
    const calls = await applicationCalls(t, actor, 3);
    const encrypted = calls.find((event) => event.Operation === 'XksEncrypt' && event.Outcome === 'SUCCESS');
    expect(encrypted?.ResourceId).toBe(keyId);
    expect(encrypted?.Details).toMatchObject({
      Protocol: 'xks',
      XksProxyId: proxyId,
      AccessKeyId: credential.AccessKeyId,
      ClientKeyId: clientKey.ClientKeyId,
      AwsPrincipalArn: METADATA.awsPrincipalArn,
      KmsKeyArn: METADATA.kmsKeyArn,
      KmsOperation: 'GenerateDataKey',
      KmsRequestId: METADATA.kmsRequestId,
    });
    const { Events } = await t.call('ListAuditEvents', { PageSize: 100, Filters: [{ Key: 'Operation', Values: ['XksEncrypt', 'XksDecrypt', 'XksGetHealthStatus'] }] } as never);
    expect(Events.some((event) => event.Outcome === 'FAILURE' && event.ErrorCode === 'Unauthenticated.Signature')).toBe(true);
    const text = JSON.stringify(Events);
    for (const secret of [credential.SecretAccessKey, b64('Hello World!'), b64('project=nile,department=marketing')]) expect(text).not.toContain(secret);
    expect((await t.call('VerifyAuditLog', {} as never)).Valid).toBe(true);
  });
});
