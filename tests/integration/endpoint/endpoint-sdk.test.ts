/**
 * The application endpoint on a real core (SoftHSM2 token, SQLite file), driven the way
 * applications drive it: unmodified AWS SDK clients over mutual TLS, Keyward JSON, and curl.
 */
import { execFile } from 'node:child_process';
import { createHash, createPublicKey, createVerify, X509Certificate } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { connect } from 'node:tls';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  SignCommand,
  VerifyCommand,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInitializedTestCore, disposeTestCore, type TestCore } from '../../support/test-core';
import { agentFor, applicationCalls, CLIENT_PASSWORD, createAccess, kmsClient, post, secretsClient, type ClientKey } from './endpoint-fixture';

const run = promisify(execFile);

describe('application endpoint', () => {
  let t: TestCore;
  let port: number;
  let clientKey: ClientKey;
  let aapName: string;
  let aesKeyId: string;

  beforeAll(async () => {
    t = await createInitializedTestCore();
    ({ clientKey, aapName } = await createAccess(t));
    aesKeyId = (await t.call('CreateKey', { Alias: 'alias/app-data' } as never)).KeyMetadata.KeyId;
    port = (await t.call('StartApplicationEndpoint', { Address: '127.0.0.1', Port: 0 })).Port;
  }, 180_000);
  afterAll(async () => {
    await disposeTestCore(t);
  });

  it('starts once, describes itself with the certificate the TLS handshake shows, and refuses a second start', async () => {
    const described = await t.call('DescribeApplicationEndpoint', {});
    expect(described).toMatchObject({ State: 'RUNNING', Address: '127.0.0.1', Port: port });
    const presented = await new Promise<Buffer>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, pfx: Buffer.from(clientKey.PrivateKeyData, 'base64'), passphrase: CLIENT_PASSWORD, ca: clientKey.CaCertificate }, () => {
        resolve(socket.getPeerCertificate().raw);
        socket.end();
      });
      socket.on('error', reject);
    });
    expect(createHash('sha256').update(presented).digest('hex')).toBe(described.TlsCertificateSha256);
    expect(new X509Certificate(presented).verify(new X509Certificate(clientKey.CaCertificate).publicKey)).toBe(true);
    expect((await t.fail('StartApplicationEndpoint', { Address: '127.0.0.1', Port: 0 })).Code).toBe('Forbidden.EndpointState');
  });

  it('serves Encrypt, Decrypt and data keys to the unmodified AWS KMS SDK', async () => {
    const kms = kmsClient(port, clientKey);
    const plaintext = Buffer.from('application secret data');
    const encrypted = await kms.send(new EncryptCommand({ KeyId: 'alias/app-data', Plaintext: plaintext, EncryptionContext: { app: 'billing' } }));
    expect(encrypted.KeyId).toMatch(new RegExp(`key/${aesKeyId}$`));
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { app: 'billing' } }));
    expect(Buffer.from(decrypted.Plaintext ?? new Uint8Array())).toEqual(plaintext);

    const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: aesKeyId, KeySpec: 'AES_256' }));
    expect(dataKey.Plaintext?.length).toBe(32);
    const unwrapped = await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }));
    expect(Buffer.from(unwrapped.Plaintext ?? new Uint8Array())).toEqual(Buffer.from(dataKey.Plaintext ?? new Uint8Array()));
    const withoutPlaintext = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: aesKeyId, NumberOfBytes: 16 }));
    expect(withoutPlaintext.CiphertextBlob?.length).toBeGreaterThan(16);

    const described = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/app-data' }));
    expect(described.KeyMetadata).toMatchObject({ KeyId: aesKeyId, KeyState: 'Enabled', KeyUsage: 'ENCRYPT_DECRYPT', Enabled: true });
    expect(described.KeyMetadata?.CreationDate).toBeInstanceOf(Date);
  });

  it('signs, verifies and gives the public key of an EC key, and makes MACs, through the SDK', async () => {
    const kms = kmsClient(port, clientKey);
    const ecKeyId = (await t.call('CreateKey', { KeySpec: 'EC_P256', KeyUsage: 'SIGN/VERIFY' } as never)).KeyMetadata.KeyId;
    const message = Buffer.from('sign me');
    const signed = await kms.send(new SignCommand({ KeyId: ecKeyId, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }));
    const publicKey = await kms.send(new GetPublicKeyCommand({ KeyId: ecKeyId }));
    const spki = createPublicKey({ key: Buffer.from(publicKey.PublicKey ?? new Uint8Array()), format: 'der', type: 'spki' });
    expect(createVerify('sha256').update(message).verify(spki, Buffer.from(signed.Signature ?? new Uint8Array()))).toBe(true);
    const verified = await kms.send(new VerifyCommand({ KeyId: ecKeyId, Message: message, Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }));
    expect(verified.SignatureValid).toBe(true);
    await expect(kms.send(new VerifyCommand({ KeyId: ecKeyId, Message: Buffer.from('other'), Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }))).rejects.toMatchObject({
      name: 'KMSInvalidSignatureException',
    });

    const macKeyId = (await t.call('CreateKey', { KeySpec: 'HMAC_SHA256', KeyUsage: 'GENERATE/VERIFY_MAC' } as never)).KeyMetadata.KeyId;
    const mac = await kms.send(new GenerateMacCommand({ KeyId: macKeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }));
    expect(mac.Mac?.length).toBe(32);
    const macCheck = await kms.send(new VerifyMacCommand({ KeyId: macKeyId, Message: message, Mac: mac.Mac, MacAlgorithm: 'HMAC_SHA_256' }));
    expect(macCheck.MacValid).toBe(true);
  });

  it('serves GetSecretValue to the unmodified Secrets Manager SDK, with AWS stage names', async () => {
    await t.call('CreateSecret', { SecretName: 'app/db-password', SecretData: 'hunter2-but-longer', VersionId: 'v1' } as never);
    await t.call('PutSecretValue', { SecretName: 'app/db-password', SecretData: 'rotated-value', VersionId: 'v2' } as never);
    const secrets = secretsClient(port, clientKey);
    const current = await secrets.send(new GetSecretValueCommand({ SecretId: 'app/db-password' }));
    expect(current).toMatchObject({ Name: 'app/db-password', SecretString: 'rotated-value', VersionId: 'v2' });
    expect(current.VersionStages).toContain('AWSCURRENT');
    const previous = await secrets.send(new GetSecretValueCommand({ SecretId: 'app/db-password', VersionStage: 'AWSPREVIOUS' }));
    expect(previous.SecretString).toBe('hunter2-but-longer');
    await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'app/none' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('serves Keyward JSON at /v1/<Operation> with the contract’s shapes', async () => {
    const agent = agentFor(clientKey);
    const answer = await post(port, agent, '/v1/Encrypt', JSON.stringify({ KeyId: aesKeyId, Plaintext: Buffer.from('json').toString('base64') }));
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.body) as { CiphertextBlob: string; KeyId: string; RequestId: string };
    expect(body.KeyId).toBe(aesKeyId);
    const back = await post(port, agent, '/v1/Decrypt', JSON.stringify({ CiphertextBlob: body.CiphertextBlob }));
    expect(Buffer.from((JSON.parse(back.body) as { Plaintext: string }).Plaintext, 'base64').toString()).toBe('json');
    const bad = await post(port, agent, '/v1/Encrypt', JSON.stringify({ KeyId: aesKeyId }));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ Code: 'MissingParameter' });
    agent.destroy();
  });

  it('lets a policy naming an alias cover Encrypt and the Decrypt of what it encrypted', async () => {
    const aliased = await createAccess(t, { resources: ['alias/app-data'] });
    const kms = kmsClient(port, aliased.clientKey);
    const sealed = await kms.send(new EncryptCommand({ KeyId: 'alias/app-data', Plaintext: Buffer.from('by alias') }));
    const opened = await kms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
    expect(Buffer.from(opened.Plaintext!).toString()).toBe('by alias');
  });

  it('answers curl with the client key file’s PKCS#12, the password and the CA certificate', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keyward-curl-'));
    try {
      const p12 = path.join(dir, 'client.p12');
      const ca = path.join(dir, 'ca.pem');
      writeFileSync(p12, Buffer.from(clientKey.PrivateKeyData, 'base64'));
      writeFileSync(ca, clientKey.CaCertificate);
      const plaintext = Buffer.from('from curl').toString('base64');
      const { stdout } = await run('curl', [
        '--silent', '--show-error', '--fail-with-body', '--cert-type', 'P12', '--cert', `${p12}:${CLIENT_PASSWORD}`, '--cacert', ca,
        '-H', 'Content-Type: application/json', '--data', JSON.stringify({ KeyId: 'alias/app-data', Plaintext: plaintext }),
        `https://127.0.0.1:${port}/v1/Encrypt`,
      ]);
      expect(JSON.parse(stdout)).toMatchObject({ KeyId: aesKeyId });
      // Without a client certificate the connection is taken (XKS callers may have none) but the call is refused.
      const refused = await run('curl', ['--silent', '--show-error', '--fail-with-body', '--cacert', ca, `https://127.0.0.1:${port}/v1/Encrypt`, '--data', '{}']).catch((error: { code?: number; stdout?: string }) => error);
      expect(refused).toMatchObject({ code: 22 });
      expect(JSON.parse(String(refused.stdout))).toMatchObject({ Code: 'Unauthenticated.ClientCertificate' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('audits every application call with access point, client key, source address, operation, resource and outcome', async () => {
    const actor = `aap:${aapName}/${clientKey.ClientKeyId}`;
    const calls = await applicationCalls(t, actor, 10);
    expect(calls.length).toBeGreaterThanOrEqual(10);
    const encrypt = calls.find((event) => event.Operation === 'Encrypt' && event.Outcome === 'SUCCESS');
    expect(encrypt?.Details).toMatchObject({ ClientKeyId: clientKey.ClientKeyId, SourceAddress: '127.0.0.1' });
    expect(encrypt?.ResourceId).toBe(aesKeyId);
    // The services' own usage records name the client key too: the dispatcher took the endpoint's actor.
    const { Events } = await t.call('ListAuditEvents', { PageSize: 100, Filters: [{ Key: 'Actor', Values: [actor] }] } as never);
    const keyUse = Events.filter((event) => event.Details.ApplicationCall === undefined);
    expect(keyUse.map((event) => event.Operation)).toContain('Encrypt');
    expect(keyUse.every((event) => event.Transport === 'endpoint')).toBe(true);
    const described = await t.call('DescribeApplicationEndpoint', {});
    expect(described.RecentCalls).toContainEqual(expect.objectContaining({ ClientKeyId: clientKey.ClientKeyId, SourceAddress: '127.0.0.1', Operation: 'Encrypt', Outcome: 'SUCCESS' }));
    // curl without a client certificate, refused before it named an operation, is the newest call.
    expect(described.RecentCalls[0]).toMatchObject({ ClientKeyId: '', Outcome: 'FAILURE', ErrorCode: 'Unauthenticated.ClientCertificate' });
    expect(JSON.stringify(calls)).not.toContain(CLIENT_PASSWORD);
    expect(JSON.stringify(calls)).not.toContain(clientKey.AccessKeySecret);
  });

  it('stops: the port closes, a second stop is refused, both are audited', async () => {
    const stopped = await t.call('StopApplicationEndpoint', {});
    expect(stopped.State).toBe('STOPPED');
    await expect(post(port, agentFor(clientKey), '/v1/DescribeKey', '{}')).rejects.toThrow(/ECONNREFUSED/);
    expect((await t.fail('StopApplicationEndpoint', {})).Code).toBe('Forbidden.EndpointState');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const takenPort = (taken.address() as AddressInfo).port;
    expect((await t.fail('StartApplicationEndpoint', { Address: '127.0.0.1', Port: takenPort })).Code).toBe('EndpointAddressUnavailable');
    taken.close();
    expect((await t.fail('StartApplicationEndpoint', { Address: '192.0.2.1', Port: 0 })).Code).toBe('EndpointAddressUnavailable');
    expect((await t.call('DescribeApplicationEndpoint', {})).State).toBe('STOPPED');
    const { Events } = await t.call('ListAuditEvents', { PageSize: 50, Filters: [{ Key: 'Operation', Values: ['StartApplicationEndpoint', 'StopApplicationEndpoint'] }] } as never);
    expect(Events.map((event) => `${event.Operation}:${event.Outcome}`)).toEqual(
      expect.arrayContaining(['StartApplicationEndpoint:SUCCESS', 'StartApplicationEndpoint:FAILURE', 'StopApplicationEndpoint:SUCCESS', 'StopApplicationEndpoint:FAILURE']),
    );
  });
});
