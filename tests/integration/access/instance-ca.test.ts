/**
 * The instance CA on a real SoftHSM2 default key store and a real SQLite registry: made on first
 * need inside the HSM, refused while the store is locked, its private key sensitive and never
 * extractable, the same CA after a restart, and TLS server certificates it signs in the HSM, read
 * by OpenSSL and by Node's TLS stack.
 */
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTANCE_CA_KEY_ID, INSTANCE_CA_LABEL } from '../../../electron/main/services/access/instance-ca';
import { DEFAULT_KEY_STORE_ID } from '../../../electron/main/services/keystores/default-key-store';
import { listTokenObjects } from '../../support/pkcs11-tool';
import { SOFTHSM_MODULE_PATH } from '../../support/softhsm';
import { withAccessOutside } from './support/access-outside';
import { CANARY_PASSWORD, createInitializedTestCore, createTestCore, disposeTestCore, removeDir, type TestCore } from '../../support/test-core';

const TEN_YEARS_MS = 10 * 365.25 * 86_400_000;

function openssl(args: string[], input?: string): string {
  return execFileSync('openssl', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * Asks the token, from a separate short-lived process with pkcs11js and the officer's login, for
 * the CKA_VALUE of the private key under `objectId` (pkcs11-tool cannot: it declines private keys).
 */
const READ_PRIVATE_VALUE = `
const p = require('pkcs11js');
const e = process.env;
const m = new p.PKCS11();
m.load(e.KW_MODULE);
m.C_Initialize({ flags: p.CKF_OS_LOCKING_OK });
try {
  const slot = m.C_GetSlotList(true).find((s) => m.C_GetTokenInfo(s).label.trim() === 'keyward-default');
  const s = m.C_OpenSession(slot, p.CKF_SERIAL_SESSION);
  m.C_Login(s, p.CKU_USER, e.KW_PIN);
  m.C_FindObjectsInit(s, [{ type: p.CKA_CLASS, value: p.CKO_PRIVATE_KEY }, { type: p.CKA_ID, value: Buffer.from(e.KW_ID, 'hex') }]);
  const found = m.C_FindObjects(s, 4);
  m.C_FindObjectsFinal(s);
  const flags = m.C_GetAttributeValue(s, found[0], [{ type: p.CKA_SENSITIVE }, { type: p.CKA_EXTRACTABLE }]);
  let value;
  try {
    value = m.C_GetAttributeValue(s, found[0], [{ type: p.CKA_VALUE }])[0].value.toString('hex');
  } catch (error) {
    value = /CKR_[A-Z_]+/.exec(String(error && error.message))?.[0] ?? 'error';
  }
  process.stdout.write(JSON.stringify({ found: found.length, sensitive: flags[0].value[0] === 1, extractable: flags[1].value[0] === 1, value }));
} finally {
  m.C_Finalize();
}
`;

function readPrivateValue(dataDir: string, objectId: string): unknown {
  const output = execFileSync(process.execPath, ['-e', READ_PRIVATE_VALUE], {
    cwd: process.cwd(),
    env: { ...process.env, SOFTHSM2_CONF: path.join(dataDir, 'softhsm', 'softhsm2.conf'), KW_MODULE: SOFTHSM_MODULE_PATH, KW_PIN: CANARY_PASSWORD, KW_ID: objectId },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(output) as unknown;
}

async function caEvents(t: TestCore) {
  const { Events } = await t.call('ListAuditEvents', { PageNumber: 1, PageSize: 100, Filters: [] });
  return Events.filter((event) => event.ResourceId === 'instance-ca');
}

describe('instance CA (real SoftHSM2 + SQLite)', () => {
  let t: TestCore;
  let firstPem = '';

  beforeAll(async () => {
    t = await createInitializedTestCore();
  });
  afterAll(async () => {
    await disposeTestCore(t);
  });

  it('is refused while the default key store is not initialized, and nothing is stored', async () => {
    const fresh = await createTestCore();
    try {
      expect((await fresh.fail('GetInstanceCaCertificate', {})).Code).toBe('Forbidden.KeyStoreState');
      expect(await caEvents(fresh)).toEqual([]);
    } finally {
      await disposeTestCore(fresh);
    }
  });

  it('is made on first need: a self-signed EC P-256 CA certificate (CA:true pathlen 0, keyCertSign|cRLSign, ten years), audited once', async () => {
    const before = Date.now();
    const ca = await t.call('GetInstanceCaCertificate', {});
    firstPem = ca.CaCertificate;
    const certificate = new X509Certificate(ca.CaCertificate);
    expect(certificate.ca).toBe(true);
    expect(certificate.subject).toMatch(/CN=Keyward instance CA/);
    expect(certificate.subject).toMatch(/O=Keyward/);
    expect(certificate.subject).toMatch(/OU=\d{16}/);
    expect(certificate.issuer).toBe(certificate.subject);
    expect(certificate.checkIssued(certificate)).toBe(true);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.publicKey.asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' });
    expect(ca.Sha256).toBe(createHash('sha256').update(certificate.raw).digest('hex'));
    expect(Date.parse(ca.NotAfter) - before).toBeGreaterThan(TEN_YEARS_MS - 3 * 86_400_000);

    const text = openssl(['x509', '-noout', '-text'], ca.CaCertificate);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(text).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(text).toContain('ecdsa-with-SHA256');

    const { RequestId: _first, ...stable } = ca;
    const { RequestId: _second, ...again } = await t.call('GetInstanceCaCertificate', {});
    expect(again).toEqual(stable);
    const events = await caEvents(t);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ Operation: 'GetInstanceCaCertificate', Outcome: 'SUCCESS', Details: { Created: true, Sha256: ca.Sha256 } });
  });

  it('keeps its private key in the token: private, sensitive, never extractable, and its value cannot be read', () => {
    const mine = listTokenObjects(t.dataDir, CANARY_PASSWORD).filter((object) => object.id === INSTANCE_CA_KEY_ID);
    expect(mine.map((object) => object.kind).sort()).toEqual(['Private Key', 'Public Key']);
    const privateKey = mine.find((object) => object.kind === 'Private Key');
    expect(privateKey?.label).toBe(INSTANCE_CA_LABEL);
    expect(privateKey?.access).toEqual(expect.arrayContaining(['sensitive', 'always sensitive', 'never extractable']));
    // Without the login the key is not even visible.
    expect(listTokenObjects(t.dataDir, null).filter((object) => object.id === INSTANCE_CA_KEY_ID && object.kind === 'Private Key')).toEqual([]);
    // An independent PKCS#11 client, logged in, cannot read the key's value either.
    expect(readPrivateValue(t.dataDir, INSTANCE_CA_KEY_ID)).toEqual({ found: 1, sensitive: true, extractable: false, value: 'CKR_ATTRIBUTE_SENSITIVE' });
  });

  it('counts as Keyward’s own infrastructure for ReconcileKeyStore: never foreign, never an orphan', async () => {
    const report = await t.call('ReconcileKeyStore', { KeyStoreId: DEFAULT_KEY_STORE_ID });
    expect(report.Tokens[0]).toMatchObject({ ForeignObjects: 0, OrphanObjects: 0 });
    expect(report.Tokens[0]?.InfrastructureObjects).toBeGreaterThanOrEqual(2);
  });

  it('shows its (public) certificate while the default key store is disconnected, but signs nothing then', async () => {
    await t.call('DisconnectKeyStore', { KeyStoreId: DEFAULT_KEY_STORE_ID });
    try {
      expect((await t.call('GetInstanceCaCertificate', {})).CaCertificate).toBe(firstPem);
      await t.call('CreateNetworkRule', { Name: 'anywhere', SourcePrivateIp: ['10.0.0.0/8'] });
      await t.call('CreatePolicy', { Name: 'keys', Permissions: ['RbacPermission/Template/CryptoServiceKeyUser'], Resources: ['key/*'], AccessControlRules: { NetworkRules: ['anywhere'] } });
      await t.call('CreateApplicationAccessPoint', { Name: 'locked-app', Policies: ['keys'] });
      expect((await t.fail('CreateClientKey', { AapName: 'locked-app', Password: CANARY_PASSWORD })).Code).toBe('Forbidden.KeyStoreState');
      expect((await t.call('ListClientKeys', { AapName: 'locked-app' })).ClientKeys).toEqual([]);
    } finally {
      await t.call('ConnectKeyStore', { KeyStoreId: DEFAULT_KEY_STORE_ID, KeyStorePassword: CANARY_PASSWORD });
    }
  });

  it('is the same CA after a restart (key by CKA_ID, certificate from the registry), and signs TLS server certificates in the HSM', async () => {
    await t.close();
    t = await createTestCore(t.dataDir);
    await t.call('ConnectKeyStore', { KeyStoreId: DEFAULT_KEY_STORE_ID, KeyStorePassword: CANARY_PASSWORD });
    expect((await t.call('GetInstanceCaCertificate', {})).CaCertificate).toBe(firstPem);
    expect(listTokenObjects(t.dataDir, CANARY_PASSWORD).filter((object) => object.id === INSTANCE_CA_KEY_ID)).toHaveLength(2);
    expect(await caEvents(t)).toHaveLength(1);
    await t.close();

    const serverKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = serverKey.publicKey.export({ type: 'spki', format: 'der' });
    const { serverPem, loopbackPem, everyAddressPem } = await withAccessOutside(t.dataDir, CANARY_PASSWORD, async ({ instanceCa: ca }) => ({
      serverPem: await ca.issueServerCertificate(['10.1.2.3'], spki, 30),
      loopbackPem: await ca.issueServerCertificate(['127.0.0.1'], spki, 30),
      everyAddressPem: await ca.issueServerCertificate(['192.168.7.5', '127.0.0.1', 'ws-17'], spki, 30),
    }));
    t = await createTestCore(t.dataDir);

    const server = new X509Certificate(serverPem);
    const ca = new X509Certificate(firstPem);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.publicKey.export({ type: 'spki', format: 'der' }).equals(spki)).toBe(true);
    expect(server.subjectAltName).toBe('IP Address:10.1.2.3');
    expect(server.checkIP('10.1.2.3')).toBe('10.1.2.3');
    const lifetimeDays = (Date.parse(server.validTo) - Date.parse(server.validFrom)) / 86_400_000;
    expect(lifetimeDays).toBeGreaterThanOrEqual(30);
    expect(lifetimeDays).toBeLessThan(30.1);
    const loopback = new X509Certificate(loopbackPem);
    expect(loopback.subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost');
    const everyAddress = new X509Certificate(everyAddressPem);
    expect(everyAddress.subjectAltName).toBe('IP Address:192.168.7.5, IP Address:127.0.0.1, DNS:ws-17, DNS:localhost');
    expect(everyAddress.subject).toContain('CN=192.168.7.5');

    const dir = mkdtempSync(path.join(tmpdir(), 'keyward-ca-verify-'));
    try {
      writeFileSync(path.join(dir, 'ca.pem'), firstPem);
      writeFileSync(path.join(dir, 'server.pem'), loopbackPem);
      expect(openssl(['verify', '-CAfile', path.join(dir, 'ca.pem'), '-purpose', 'sslserver', path.join(dir, 'server.pem')])).toMatch(/server\.pem: OK/);
      const text = openssl(['x509', '-noout', '-text', '-in', path.join(dir, 'server.pem')]);
      expect(text).toMatch(/Extended Key Usage:\s+TLS Web Server Authentication/);
      expect(text).toMatch(/CA:FALSE/);
    } finally {
      removeDir(dir);
    }
  });
});
