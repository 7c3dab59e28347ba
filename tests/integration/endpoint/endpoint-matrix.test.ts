/**
 * The authentication and authorization matrix of the application endpoint: every case refused with
 * its own error and audited, and not one success among them. Real TLS, real client keys.
 */
import { webcrypto } from 'node:crypto';
import { Agent } from 'node:https';
import { CreateKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_USER_PERMISSION, SECRET_USER_PERMISSION } from '../../../shared/contract';
import { loadX509 } from '../../../electron/main/services/clusters/x509';
import { createInitializedTestCore, disposeTestCore, type TestCore } from '../../support/test-core';
import { agentFor, applicationCalls, createAccess, kmsClient, post, type ClientKey } from './endpoint-fixture';
import { xksPost } from '../xks/xks-fixture';

const HOUR = 3_600_000;

describe('application endpoint: who may call what', () => {
  let t: TestCore;
  let port: number;
  let keyId: string;
  let clockOffset = 0;
  const encryptBody = () => JSON.stringify({ KeyId: keyId, Plaintext: Buffer.from('x').toString('base64') });
  const refusalOf = async (answer: Promise<{ status: number; body: string }>) => {
    const { status, body } = await answer;
    return { status, code: (JSON.parse(body) as { Code: string }).Code };
  };
  const auditedRefusals = async (aapName: string, clientKey: ClientKey, count: number) => {
    const calls = await applicationCalls(t, `aap:${aapName}/${clientKey.ClientKeyId}`, count);
    return calls.map((call) => `${call.Outcome}:${call.ErrorCode}`);
  };

  beforeAll(async () => {
    t = await createInitializedTestCore({ now: () => new Date(Date.now() + clockOffset) });
    keyId = (await t.call('CreateKey', {} as never)).KeyMetadata.KeyId;
    port = (await t.call('StartApplicationEndpoint', { Address: '127.0.0.1', Port: 0 })).Port;
  }, 180_000);
  afterAll(async () => {
    await disposeTestCore(t);
  });

  it('answers an application call without a client certificate with a refusal, runs nothing, and audits it', async () => {
    const { clientKey } = await createAccess(t);
    // The handshake takes a connection without a certificate (XKS callers may have none): the call itself is refused.
    const noCertificate = new Agent({ ca: clientKey.CaCertificate });
    const answer = await post(port, noCertificate, '/v1/Encrypt', encryptBody());
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ Code: 'Unauthenticated.ClientCertificate' });
    expect(answer.body).not.toContain('CiphertextBlob');
    const requestId = String(answer.headers['x-amzn-requestid']);
    const refused = (await applicationCalls(t, 'aap:(unauthenticated)', 1)).find((event) => event.RequestId === requestId);
    expect(refused).toMatchObject({ Outcome: 'FAILURE', ErrorCode: 'Unauthenticated.ClientCertificate' });
    expect(refused?.Details).toMatchObject({ ClientKeyId: '', SourceAddress: '127.0.0.1' });
    const described = await t.call('DescribeApplicationEndpoint', {});
    expect(described.RecentCalls[0]).toMatchObject({ ClientKeyId: '', Outcome: 'FAILURE', ErrorCode: 'Unauthenticated.ClientCertificate' });
    noCertificate.destroy();
  });

  it('refuses a client certificate issued by another CA, or expired by the real clock, at the TLS handshake, and audits why', async () => {
    const { clientKey } = await createAccess(t);
    const foreign = await foreignClientCertificate();
    const agent = new Agent({ key: foreign.keyPem, cert: foreign.certificatePem, ca: clientKey.CaCertificate });
    await expect(post(port, agent, '/v1/Encrypt', encryptBody())).rejects.toThrow();
    const now = Date.now();
    const { clientKey: expired } = await createAccess(t, { notBefore: new Date(now - 48 * HOUR).toISOString(), notAfter: new Date(now - 24 * HOUR).toISOString() });
    await expect(post(port, agentFor(expired), '/v1/Encrypt', encryptBody())).rejects.toThrow();
    const reasons = await handshakeRefusalReasonsOf(t, 2);
    expect(reasons).toContain('CERT_HAS_EXPIRED');
    expect(reasons.some((reason) => reason !== 'CERT_HAS_EXPIRED')).toBe(true);
  });

  it('refuses an expired and a not-yet-valid client key by the instance’s clock', async () => {
    const now = Date.now();
    const { aapName, clientKey } = await createAccess(t, { notBefore: new Date(now - HOUR).toISOString(), notAfter: new Date(now + 24 * HOUR).toISOString() });
    clockOffset = 48 * HOUR;
    try {
      expect(await refusalOf(post(port, agentFor(clientKey), '/v1/Encrypt', encryptBody()))).toEqual({ status: 401, code: 'Unauthenticated.ClientCertificate' });
    } finally {
      clockOffset = 0;
    }
    clockOffset = -2 * HOUR;
    try {
      const answer = await post(port, agentFor(clientKey), '/v1/Encrypt', encryptBody());
      expect(JSON.parse(answer.body)).toMatchObject({ Code: 'Unauthenticated.ClientCertificate', Message: expect.stringMatching(/not valid before/) });
    } finally {
      clockOffset = 0;
    }
    expect(await auditedRefusals(aapName, clientKey, 2)).toEqual(['FAILURE:Unauthenticated.ClientCertificate', 'FAILURE:Unauthenticated.ClientCertificate']);
  });

  it('refuses a deleted client key at once, on an already open keep-alive connection too', async () => {
    const { aapName, clientKey } = await createAccess(t);
    const agent = agentFor(clientKey);
    const before = await post(port, agent, '/v1/Encrypt', encryptBody());
    expect(before.status).toBe(200);
    await t.call('DeleteClientKey', { ClientKeyId: clientKey.ClientKeyId });
    const after = await post(port, agent, '/v1/Encrypt', encryptBody());
    expect(after.localPort).toBe(before.localPort);
    expect({ status: after.status, code: (JSON.parse(after.body) as { Code: string }).Code }).toEqual({ status: 401, code: 'Unauthenticated.ClientKeyRevoked' });
    expect(await auditedRefusals(aapName, clientKey, 2)).toEqual(['FAILURE:Unauthenticated.ClientKeyRevoked', 'SUCCESS:']);
    agent.destroy();
  });

  it('refuses the client keys of a deleted access point', async () => {
    const { aapName, clientKey } = await createAccess(t);
    await t.call('DeleteApplicationAccessPoint', { Name: aapName } as never);
    expect(await refusalOf(post(port, agentFor(clientKey), '/v1/Encrypt', encryptBody()))).toEqual({ status: 401, code: 'Unauthenticated.ClientKeyRevoked' });
  });

  it('refuses a key outside the policy’s resources, and an operation outside its permissions', async () => {
    const otherKey = (await t.call('CreateKey', {} as never)).KeyMetadata.KeyId;
    const narrow = await createAccess(t, { resources: [`key/${otherKey}`] });
    expect(await refusalOf(post(port, agentFor(narrow.clientKey), '/v1/Encrypt', encryptBody()))).toEqual({ status: 403, code: 'Forbidden.Resource' });
    const secretsOnly = await createAccess(t, { permissions: [SECRET_USER_PERMISSION], resources: ['key/*', 'secret/*'] });
    expect(await refusalOf(post(port, agentFor(secretsOnly.clientKey), '/v1/Encrypt', encryptBody()))).toEqual({ status: 403, code: 'Forbidden.Permission' });
    expect(await auditedRefusals(narrow.aapName, narrow.clientKey, 1)).toEqual(['FAILURE:Forbidden.Resource']);
    // The refusal names the key that was asked for, as an allowed call would.
    expect((await applicationCalls(t, `aap:${narrow.aapName}/${narrow.clientKey.ClientKeyId}`, 1))[0]?.ResourceId).toBe(keyId);
    expect(await auditedRefusals(secretsOnly.aapName, secretsOnly.clientKey, 1)).toEqual(['FAILURE:Forbidden.Permission']);
  });

  it('refuses a source address outside the network rules (client bound to 127.0.0.2, rule allows 127.0.0.1)', async () => {
    const { aapName, clientKey } = await createAccess(t, { rule: ['127.0.0.1'], permissions: [KEY_USER_PERMISSION] });
    const fromElsewhere = agentFor(clientKey, { localAddress: '127.0.0.2' });
    expect(await refusalOf(post(port, fromElsewhere, '/v1/Encrypt', encryptBody()))).toEqual({ status: 403, code: 'Forbidden.SourceAddress' });
    const calls = await applicationCalls(t, `aap:${aapName}/${clientKey.ClientKeyId}`, 1);
    expect(calls[0]).toMatchObject({ Outcome: 'FAILURE', ErrorCode: 'Forbidden.SourceAddress', Details: { SourceAddress: '127.0.0.2' } });
  });

  it('refuses a bad SigV4 signature and one outside its time window', async () => {
    const { aapName, clientKey } = await createAccess(t);
    const wrongSecret = kmsClient(port, clientKey, agentFor(clientKey), 'not-the-access-key-secret');
    await expect(wrongSecret.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      message: expect.stringMatching(/^Unauthenticated\.Signature:/),
    });
    const replayed = kmsClient(port, clientKey);
    replayed.config.systemClockOffset = -10 * 60_000;
    await expect(replayed.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      message: expect.stringMatching(/^Unauthenticated\.SignatureExpired:/),
    });
    // Signed correctly with the right secret, but for another service: a signature is valid for one service only.
    const otherService = await xksPost(port, agentFor(clientKey), '/', { KeyId: keyId, Plaintext: 'eA==' }, { AccessKeyId: clientKey.ClientKeyId, SecretAccessKey: clientKey.AccessKeySecret }, {
      service: 'kms-xks-proxy',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Encrypt' },
    });
    expect(otherService.status).toBe(401);
    expect(await auditedRefusals(aapName, clientKey, 3)).toEqual(['FAILURE:Unauthenticated.Signature', 'FAILURE:Unauthenticated.SignatureExpired', 'FAILURE:Unauthenticated.Signature']);
  });

  it('never serves a management operation to an application, in either protocol', async () => {
    const { aapName, clientKey } = await createAccess(t);
    const keysBefore = (await t.call('ListKeys', {} as never)).TotalCount;
    expect(await refusalOf(post(port, agentFor(clientKey), '/v1/CreateKey', '{}'))).toEqual({ status: 403, code: 'Forbidden.ManagementOperation' });
    await expect(kmsClient(port, clientKey).send(new CreateKeyCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect((await t.call('ListKeys', {} as never)).TotalCount).toBe(keysBefore);
    expect(await auditedRefusals(aapName, clientKey, 2)).toEqual(['FAILURE:Forbidden.ManagementOperation', 'FAILURE:Forbidden.ManagementOperation']);
  });

  it('let no refused case through: the only successful application call is the one made before a revocation', async () => {
    const { Events } = await t.call('ListAuditEvents', { PageSize: 100, Filters: [{ Key: 'Outcome', Values: ['SUCCESS'] }] } as never);
    const applicationSuccesses = Events.filter((event) => event.Transport === 'endpoint');
    // The keep-alive revocation case: its Encrypt before the deletion, audited by the endpoint and by the key use.
    expect(applicationSuccesses.map((event) => event.Operation)).toEqual(['Encrypt', 'Encrypt']);
  });
});

/** Why TLS handshakes were refused, newest first (group commit: polled until `count` are written). */
async function handshakeRefusalReasonsOf(t: TestCore, count: number): Promise<string[]> {
  for (let attempt = 0; ; attempt += 1) {
    const { Events } = await t.call('ListAuditEvents', { PageSize: 20, Filters: [{ Key: 'Operation', Values: ['TlsHandshake'] }] } as never);
    const refusals = Events.filter((event) => event.Outcome === 'FAILURE' && event.ErrorCode === 'Unauthenticated.ClientCertificate');
    if (refusals.length >= count || attempt > 40) return refusals.map((event) => String(event.Details.Reason));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A CA and a client certificate that are not this Keyward's: software keys, made here. */
async function foreignClientCertificate(): Promise<{ keyPem: string; certificatePem: string }> {
  const x509 = await loadX509();
  const crypto = webcrypto as unknown as webcrypto.Crypto;
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const caKeys = await crypto.subtle.generateKey(algorithm, false, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned(
    { serialNumber: '01', name: 'CN=Another CA', notBefore: new Date(Date.now() - HOUR), notAfter: new Date(Date.now() + HOUR), keys: caKeys, signingAlgorithm: algorithm, extensions: [new x509.BasicConstraintsExtension(true, undefined, true)] },
    crypto,
  );
  const leafKeys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const leaf = await x509.X509CertificateGenerator.create(
    { serialNumber: '02', subject: 'CN=KAAP.impostor', issuer: ca.subject, notBefore: new Date(Date.now() - HOUR), notAfter: new Date(Date.now() + HOUR), publicKey: leafKeys.publicKey, signingKey: caKeys.privateKey, signingAlgorithm: algorithm },
    crypto,
  );
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', leafKeys.privateKey));
  return { keyPem: `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64')}\n-----END PRIVATE KEY-----\n`, certificatePem: `${leaf.toString('pem')}\n${ca.toString('pem')}` };
}

