/**
 * Client keys of application access points on a real SoftHSM2 default key store and a real SQLite
 * registry: the PKCS#12 read by the real openssl binary (and Node's TLS) under the password only,
 * the client certificate verified against the instance CA, the access key secret kept sealed and
 * opened for the endpoint, revocation, and that no password, PKCS#12 or secret ever lands in the
 * audit log, the console output or the data directory.
 */
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSecureContext as tlsSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationOutput } from '../../../shared/contract';
import { ACCESS_KEYS_KEY_ALIAS } from '../../../electron/main/services/access/access-key-secrets';
import { capturingOutput, filesUnder, scanFiles, scanText } from '../../support/canary-scan';
import { CANARY_PASSWORD, createInitializedTestCore, createTestCore, disposeTestCore, removeDir, type TestCore } from '../../support/test-core';
import { withAccessOutside } from './support/access-outside';

const AAP = 'payments-app';
const KEY_PASSWORD = 'Cl1entKey-Canary!77';
const FIVE_YEARS_MS = 5 * 365 * 86_400_000;

type Created = OperationOutput<'CreateClientKey'>;

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `openssl pkcs12` output (stdout and stderr: -info prints its structure on stderr). */
function pkcs12Info(file: string, password: string): string {
  return execFileSync('sh', ['-c', 'openssl pkcs12 -in "$1" -passin env:KW_P12_PASS -nodes -info 2>&1', 'sh', file], {
    encoding: 'utf8',
    env: { ...process.env, KW_P12_PASS: password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function pemBlocks(text: string, kind: string): string[] {
  return text.match(new RegExp(`-----BEGIN ${kind}-----[\\s\\S]+?-----END ${kind}-----`, 'g')) ?? [];
}

describe('client keys (real SoftHSM2 + SQLite + openssl)', () => {
  let t: TestCore;
  let dir: string;
  let created: Created;
  let captured = '';

  beforeAll(async () => {
    t = await createInitializedTestCore();
    dir = mkdtempSync(path.join(tmpdir(), 'keyward-client-key-'));
    await t.call('CreateNetworkRule', { Name: 'loopback', SourcePrivateIp: ['127.0.0.1'] });
    await t.call('CreatePolicy', {
      Name: 'key-users',
      Permissions: ['RbacPermission/Template/CryptoServiceKeyUser'],
      Resources: ['key/*'],
      AccessControlRules: { NetworkRules: ['loopback'] },
    });
    await t.call('CreateApplicationAccessPoint', { Name: AAP, Policies: ['key-users'] });
    const run = await capturingOutput(() => t.call('CreateClientKey', { AapName: AAP, Password: KEY_PASSWORD }));
    created = run.value;
    captured = run.output;
    writeFileSync(path.join(dir, 'client.p12'), Buffer.from(created.PrivateKeyData, 'base64'));
    writeFileSync(path.join(dir, 'ca.pem'), created.CaCertificate);
  });
  afterAll(async () => {
    await disposeTestCore(t);
    removeDir(dir);
  });

  it('refuses an unknown access point and a validity that ends before it starts, storing nothing', async () => {
    expect((await t.fail('CreateClientKey', { AapName: 'nobody', Password: KEY_PASSWORD })).Code).toBe('NotFound.ApplicationAccessPoint');
    const refused = await t.fail('CreateClientKey', { AapName: AAP, Password: KEY_PASSWORD, NotBefore: '2030-01-01T00:00:00Z', NotAfter: '2029-01-01T00:00:00Z' });
    expect(refused.Code).toBe('InvalidParameter');
    expect((await t.fail('CreateClientKey', { AapName: AAP, Password: 'short' })).Code).toBe('InvalidParameter');
    expect((await t.fail('ListClientKeys', { AapName: 'nobody' })).Code).toBe('NotFound.ApplicationAccessPoint');
    expect((await t.call('ListClientKeys', { AapName: AAP })).ClientKeys.map((key) => key.ClientKeyId)).toEqual([created.ClientKeyId]);
  });

  it('hands out a KAAP id, a 40-character access key secret and a PKCS#12 that openssl reads with the password only (AES-256-CBC, PBKDF2-SHA256, SHA-256 MAC)', () => {
    expect(created.ClientKeyId).toMatch(/^KAAP\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(created.KeyAlgorithm).toBe('RSA_2048');
    expect(created.AccessKeySecret).toMatch(/^[A-Za-z0-9_-]{40}$/);
    const info = pkcs12Info(path.join(dir, 'client.p12'), KEY_PASSWORD);
    expect(info).toMatch(/MAC: sha256, Iteration \d+/);
    expect(info).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256/);
    expect(pemBlocks(info, 'PRIVATE KEY')).toHaveLength(1);
    expect(pemBlocks(info, 'CERTIFICATE')).toHaveLength(2);
    expect(() => pkcs12Info(path.join(dir, 'client.p12'), 'Wrong-Passw0rd')).toThrow();
    // Node's TLS stack takes it as it is (what an application's https.Agent does with the file).
    expect(() => tlsSecureContext({ pfx: Buffer.from(created.PrivateKeyData, 'base64'), passphrase: KEY_PASSWORD })).not.toThrow();
    expect(() => tlsSecureContext({ pfx: Buffer.from(created.PrivateKeyData, 'base64'), passphrase: 'Wrong-Passw0rd' })).toThrow();
  });

  it('certifies the client key: CN = ClientKeyId, OU = the access point, clientAuth, default five years, verified against the instance CA', () => {
    const info = pkcs12Info(path.join(dir, 'client.p12'), KEY_PASSWORD);
    const [clientPem, caPem] = pemBlocks(info, 'CERTIFICATE');
    const client = new X509Certificate(clientPem ?? '');
    const ca = new X509Certificate(created.CaCertificate);
    expect(new X509Certificate(caPem ?? '').fingerprint256).toBe(ca.fingerprint256);
    expect(client.subject.split('\n')).toEqual([`CN=${created.ClientKeyId}`, 'O=Keyward', `OU=${AAP}`]);
    expect(client.ca).toBe(false);
    expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(client.checkIssued(ca)).toBe(true);
    expect(client.verify(ca.publicKey)).toBe(true);
    expect(createHash('sha256').update(client.raw).digest('hex')).toBe(created.CertificateSha256);
    expect(new Date(client.validFrom).toISOString()).toBe(created.NotBefore);
    expect(new Date(client.validTo).toISOString()).toBe(created.NotAfter);
    expect(Date.parse(created.NotAfter) - Date.parse(created.NotBefore)).toBeGreaterThanOrEqual(FIVE_YEARS_MS);
    // The key in the file is the certified one, RSA-2048.
    const privateKey = createPrivateKey(pemBlocks(info, 'PRIVATE KEY')[0] ?? '');
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(client.checkPrivateKey(privateKey)).toBe(true);

    writeFileSync(path.join(dir, 'client.pem'), clientPem ?? '');
    expect(openssl(['verify', '-CAfile', path.join(dir, 'ca.pem'), '-purpose', 'sslclient', path.join(dir, 'client.pem')])).toMatch(/client\.pem: OK/);
  });

  it('takes NotBefore/NotAfter as given, and lists certificates only', async () => {
    const dated = await t.call('CreateClientKey', { AapName: AAP, Password: KEY_PASSWORD, NotBefore: '2026-01-01T00:00:00Z', NotAfter: '2027-06-30T12:00:00Z' });
    expect(dated).toMatchObject({ NotBefore: '2026-01-01T00:00:00.000Z', NotAfter: '2027-06-30T12:00:00.000Z' });
    const { ClientKeys } = await t.call('ListClientKeys', { AapName: AAP });
    expect(ClientKeys.map((key) => key.ClientKeyId)).toEqual([created.ClientKeyId, dated.ClientKeyId]);
    expect(ClientKeys[1]).toEqual({
      ClientKeyId: dated.ClientKeyId,
      AapName: AAP,
      KeyAlgorithm: 'RSA_2048',
      NotBefore: dated.NotBefore,
      NotAfter: dated.NotAfter,
      CertificateSha256: dated.CertificateSha256,
      CreatedAt: expect.any(String) as string,
    });
    await t.call('DeleteClientKey', { ClientKeyId: dated.ClientKeyId });
  });

  it('keeps the access key secret sealed under alias/keyward/access-keys, and opens it for the endpoint', async () => {
    const key = (await t.call('DescribeKey', { KeyId: ACCESS_KEYS_KEY_ALIAS })).KeyMetadata;
    expect(key).toMatchObject({ KeySpec: 'Aliyun_AES_256', KeyUsage: 'ENCRYPT/DECRYPT', KeyStoreId: 'kst-default' });
    await t.close();
    try {
      await withAccessOutside(t.dataDir, CANARY_PASSWORD, async ({ credentials }) => {
        const record = { clientKeyId: created.ClientKeyId, aapName: AAP, certificateSha256: created.CertificateSha256, notBefore: created.NotBefore, notAfter: created.NotAfter };
        expect(credentials.byCertificateSha256(created.CertificateSha256)).toEqual(record);
        expect(credentials.byCertificateSha256(created.CertificateSha256.toUpperCase())).toEqual(record);
        expect(credentials.byClientKeyId(created.ClientKeyId)).toEqual(record);
        expect(credentials.byCertificateSha256('00'.repeat(32))).toBeNull();
        const secret = await credentials.accessKeySecret(created.ClientKeyId);
        expect(secret.toString('ascii')).toBe(created.AccessKeySecret);
        secret.fill(0);
      });
    } finally {
      t = await createTestCore(t.dataDir);
      await t.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: CANARY_PASSWORD });
    }
  });

  it('never writes the password, the PKCS#12, the private key or the access key secret to the audit log, the output or the data directory', async () => {
    const secrets = [KEY_PASSWORD, created.PrivateKeyData, created.AccessKeySecret];
    const { Events } = await t.call('ListAuditEvents', { PageNumber: 1, PageSize: 100, Filters: [] });
    const creation = Events.find((event) => event.Operation === 'CreateClientKey' && event.ResourceId === created.ClientKeyId);
    expect(creation).toMatchObject({ Outcome: 'SUCCESS', Details: { AapName: AAP, CertificateSha256: created.CertificateSha256 } });
    expect(scanText('audit log', JSON.stringify(Events), secrets)).toEqual([]);
    expect(scanText('console output', captured, secrets)).toEqual([]);

    const info = pkcs12Info(path.join(dir, 'client.p12'), KEY_PASSWORD);
    const privateKeyDer = createPrivateKey(pemBlocks(info, 'PRIVATE KEY')[0] ?? '').export({ type: 'pkcs8', format: 'der' });
    await t.close();
    try {
      const scan = scanFiles(t.dataDir, secrets);
      expect(scan.files).toBeGreaterThan(3);
      expect(scan.findings).toEqual([]);
      const holdingKey = filesUnder(t.dataDir).filter((file) => readFileSync(file).includes(privateKeyDer.subarray(-64)));
      expect(holdingKey).toEqual([]);
    } finally {
      t = await createTestCore(t.dataDir);
      await t.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: CANARY_PASSWORD });
    }
  });

  it('DeleteClientKey revokes at once: the credentials are gone, audited, and a second delete is NotFound.ClientKey', async () => {
    await t.call('DeleteClientKey', { ClientKeyId: created.ClientKeyId });
    expect((await t.call('ListClientKeys', { AapName: AAP })).ClientKeys).toEqual([]);
    expect((await t.fail('DeleteClientKey', { ClientKeyId: created.ClientKeyId })).Code).toBe('NotFound.ClientKey');
    const { Events } = await t.call('ListAuditEvents', { PageNumber: 1, PageSize: 100, Filters: [] });
    expect(Events.filter((event) => event.Operation === 'DeleteClientKey' && event.ResourceId === created.ClientKeyId).map((event) => event.Outcome)).toEqual(['FAILURE', 'SUCCESS']); // newest first
    await t.close();
    try {
      await withAccessOutside(t.dataDir, CANARY_PASSWORD, async ({ credentials }) => {
        expect(credentials.byCertificateSha256(created.CertificateSha256)).toBeNull();
        expect(credentials.byClientKeyId(created.ClientKeyId)).toBeNull();
        await expect(credentials.accessKeySecret(created.ClientKeyId)).rejects.toMatchObject({ code: 'NotFound.ClientKey' });
      });
    } finally {
      t = await createTestCore(t.dataDir);
    }
  });
});
