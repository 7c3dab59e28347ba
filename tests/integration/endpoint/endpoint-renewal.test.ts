/**
 * The endpoint's certificate is short-lived (a week): maintenance replaces its key pair and
 * certificate after a day, new connections get the new one, open ones keep working, and a round
 * that cannot sign (the default key store locked) leaves the current certificate serving.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { connect, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY_PASSWORD, createInitializedTestCore, disposeTestCore, type TestCore } from '../../support/test-core';
import { agentFor, CLIENT_PASSWORD, createAccess, post, type ClientKey } from './endpoint-fixture';

const HOUR = 3_600_000;

describe('application endpoint: certificate renewal', () => {
  let t: TestCore;
  let port: number;
  let clientKey: ClientKey;
  let keyId: string;
  let clockOffset = 0;

  /** The certificate a new connection is shown. Time is not checked: the test's clock runs ahead of the real one. */
  const presented = () =>
    new Promise<X509Certificate>((resolve, reject) => {
      const socket: TLSSocket = connect({ host: '127.0.0.1', port, pfx: Buffer.from(clientKey.PrivateKeyData, 'base64'), passphrase: CLIENT_PASSWORD, rejectUnauthorized: false }, () => {
        resolve(new X509Certificate(socket.getPeerCertificate().raw));
        socket.end();
      });
      socket.on('error', reject);
    });
  const sha256 = (certificate: X509Certificate) => createHash('sha256').update(certificate.raw).digest('hex');

  beforeAll(async () => {
    t = await createInitializedTestCore({ now: () => new Date(Date.now() + clockOffset) });
    ({ clientKey } = await createAccess(t));
    keyId = (await t.call('CreateKey', {} as never)).KeyMetadata.KeyId;
    port = (await t.call('StartApplicationEndpoint', { Address: '127.0.0.1', Port: 0 })).Port;
  }, 180_000);
  afterAll(async () => {
    await disposeTestCore(t);
  });

  it('is not renewed before a day has passed', async () => {
    const before = (await t.call('DescribeApplicationEndpoint', {})).TlsCertificateSha256;
    clockOffset = 23 * HOUR;
    expect((await t.core.runMaintenance()).endpointCertificateRenewed).toBe(false);
    expect((await t.call('DescribeApplicationEndpoint', {})).TlsCertificateSha256).toBe(before);
  });

  it('is renewed after a day: new connections see a new key and certificate from the CA, an open connection keeps serving', async () => {
    // Keyward JSON: SigV4's time window would follow the test's clock, which runs ahead of the client's.
    const agent = agentFor(clientKey);
    const sealed = JSON.parse((await post(port, agent, '/v1/Encrypt', JSON.stringify({ KeyId: keyId, Plaintext: Buffer.from('across a renewal').toString('base64') }))).body) as { CiphertextBlob: string };
    const old = await presented();
    clockOffset = 25 * HOUR;
    expect((await t.core.runMaintenance()).endpointCertificateRenewed).toBe(true);

    const renewed = await presented();
    const described = await t.call('DescribeApplicationEndpoint', {});
    expect(sha256(renewed)).toBe(described.TlsCertificateSha256);
    expect(sha256(renewed)).not.toBe(sha256(old));
    expect(renewed.publicKey.export({ type: 'spki', format: 'der' }).equals(old.publicKey.export({ type: 'spki', format: 'der' }))).toBe(false);
    expect(renewed.verify(new X509Certificate(clientKey.CaCertificate).publicKey)).toBe(true);
    expect(Date.parse(renewed.validTo)).toBeGreaterThan(Date.parse(old.validTo));
    // The keep-alive connection made before the renewal goes on with its session.
    const opened = await post(port, agent, '/v1/Decrypt', JSON.stringify({ CiphertextBlob: sealed.CiphertextBlob }));
    expect(Buffer.from((JSON.parse(opened.body) as { Plaintext: string }).Plaintext, 'base64').toString()).toBe('across a renewal');
    agent.destroy();

    const { Events } = await t.call('ListAuditEvents', { PageSize: 10, Filters: [{ Key: 'Operation', Values: ['RenewEndpointCertificate'] }] } as never);
    expect(Events.map((event) => event.Details.TlsCertificateSha256)).toEqual([described.TlsCertificateSha256]);
  });

  it('keeps the current certificate when the CA cannot sign (default key store locked), and renews once it can', async () => {
    const before = (await t.call('DescribeApplicationEndpoint', {})).TlsCertificateSha256;
    await t.call('DisconnectKeyStore', { KeyStoreId: 'kst-default' });
    clockOffset = 50 * HOUR;
    expect((await t.core.runMaintenance()).endpointCertificateRenewed).toBe(false);
    expect((await t.call('DescribeApplicationEndpoint', {})).TlsCertificateSha256).toBe(before);
    expect(sha256(await presented())).toBe(before);
    await t.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: CANARY_PASSWORD });
    await expect.poll(async () => (await t.call('DescribeApplicationEndpoint', {})).TlsCertificateSha256, { timeout: 20_000 }).not.toBe(before);
  });
});
