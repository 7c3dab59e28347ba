/**
 * The whole set-up flow of seeds 000/002 on a local cluster: two SoftHSM2 tokens of one module
 * (one pre-initialized, found by serial; one spare slot), initialized, kmsuser, activated, a
 * private key store with the ClusterOwnerCertificate as trust anchor, and CMKs on both members.
 */
import { createHash, webcrypto } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HsmModuleClient } from '../../../electron/main/hsm/client';
import { createNodeWorkerLauncher } from '../../../electron/main/hsm/node-launcher';
import type { ModuleSpec } from '../../../electron/main/hsm/types';
import { OWNER_KEY_OBJECT_ID } from '../../../electron/main/services/clusters/cluster-objects';
import { createSoftHsmFixture, initializeTokenWithUtil, type SoftHsmFixture } from '../../support/softhsm';
import { createTestCore, removeDir, type TestCore } from '../../support/test-core';
import { bringUpKeyStore, createClusterWithMembers, inspectVersion, KMSUSER_PASSWORD, SO_PIN, softHsmMember, type ClusterSetUp } from '../../support/cluster-flow';

const NEW_PASSWORD = 'Rotated2026pw';

async function replaceOwnerKey(spec: ModuleSpec, serial: string): Promise<void> {
  const client = new HsmModuleClient(spec, { launcher: createNodeWorkerLauncher() });
  try {
    await client.login({ serial, userPin: KMSUSER_PASSWORD });
    expect((await client.destroyKey({ serial, objectId: OWNER_KEY_OBJECT_ID })).destroyed).toBe(2);
    await client.logout({ serial });
    await client.generateOwnerKey({ serial, soPin: SO_PIN, objectId: OWNER_KEY_OBJECT_ID, label: 'swapped-owner' });
  } finally {
    await client.close();
  }
}

describe('local HSM cluster (two SoftHSM2 tokens)', () => {
  let test: TestCore;
  let fixture: SoftHsmFixture;
  let setUp: ClusterSetUp;
  let keyStoreId: string;
  let certificate: string;
  let serials: string[];

  beforeAll(async () => {
    test = await createTestCore();
    fixture = await createSoftHsmFixture();
    const firstSerial = initializeTokenWithUtil(fixture, 'vendor-token', SO_PIN);
    setUp = await createClusterWithMembers(test, 'local-cluster', [
      softHsmMember(fixture, 'zone-a', { tokenSerial: firstSerial }),
      softHsmMember(fixture, 'zone-b'),
    ]);
  });
  afterAll(async () => {
    await test.close();
    await fixture.cleanup();
    removeDir(test.dataDir);
  });

  it('refuses activation before initialization and a wrong SO PIN, then initializes with a verifiable owner certificate', async () => {
    expect((await test.fail('ActivateCluster', { ClusterId: setUp.clusterId })).Code).toBe('Forbidden.ClusterState');
    expect((await test.fail('InitializeCluster', { ClusterId: setUp.clusterId, SoPin: 'wrong-so-pin' })).Code).toBe('HsmError.PinIncorrect');
    expect((await test.call('DescribeClusters', {})).Clusters[0]).toMatchObject({ State: 'UNINITIALIZED', HsmCount: 2, Zones: ['zone-a', 'zone-b'] });

    const up = await bringUpKeyStore(test, setUp, 'local-private-store');
    keyStoreId = up.keyStoreId;
    certificate = up.certificate;
    const cert = new x509.X509Certificate(certificate);
    expect(await cert.verify({ signatureOnly: true }, webcrypto)).toBe(true);
    expect(cert.subject).toContain(setUp.clusterId);
    expect((await test.call('GetClusterCertificate', { ClusterId: setUp.clusterId })).ClusterOwnerCertificate).toBe(certificate);

    const { Cluster } = await test.call('DescribeCluster', { ClusterId: setUp.clusterId });
    expect(Cluster).toMatchObject({ State: 'ACTIVE', LabCluster: false, KeyStoreId: keyStoreId });
    expect(Cluster.Hsms.map((hsm) => [hsm.Health, hsm.State, hsm.NetworkHsm, hsm.SupportsAesKeyWrap])).toEqual([
      ['HEALTHY', 'INITIALIZED', false, true],
      ['HEALTHY', 'INITIALIZED', false, true],
    ]);
    serials = Cluster.Hsms.map((hsm) => hsm.TokenSerial ?? '');
    expect(new Set(serials).size).toBe(2);
    expect((await test.fail('DeleteHsm', { HsmId: setUp.hsmIds[0] })).Code).toBe('Forbidden.ClusterState');
  });

  it('creates CMKs with ProtectionLevel HSM that live, wrap-with-trusted, on both members', async () => {
    const aes = await test.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyStoreId: keyStoreId, ProtectionLevel: 'HSM' });
    expect(aes.KeyMetadata).toMatchObject({ ProtectionLevel: 'HSM', KeyStoreId: keyStoreId });
    const described = await test.call('DescribeKey', { KeyId: aes.KeyMetadata.KeyId });
    expect(described.KeyMetadata.ProtectionLevel).toBe('HSM');
    const plaintext = Buffer.from('held by the cluster').toString('base64');
    const sealed = await test.call('Encrypt', { KeyId: aes.KeyMetadata.KeyId, Plaintext: plaintext });
    expect((await test.call('Decrypt', { CiphertextBlob: sealed.CiphertextBlob })).Plaintext).toBe(plaintext);

    const ec = await test.call('CreateKey', { KeySpec: 'EC_P256', KeyUsage: 'SIGN/VERIFY', KeyStoreId: keyStoreId });
    const digest = createHash('sha256').update('minutes').digest('base64');
    const signed = await test.call('AsymmetricSign', { KeyId: ec.KeyMetadata.KeyId, Algorithm: 'ECDSA_SHA_256', Digest: digest });
    expect((await test.call('AsymmetricVerify', { KeyId: ec.KeyMetadata.KeyId, Algorithm: 'ECDSA_SHA_256', Digest: digest, Value: signed.Value })).Value).toBe(true);

    for (const serial of serials) {
      const aesObjects = await inspectVersion(fixture.moduleSpec, serial, aes.KeyMetadata.PrimaryKeyVersion ?? '');
      expect(aesObjects).toEqual([expect.objectContaining({ objectClass: 'SECRET_KEY', sensitive: true, wrapWithTrusted: true, private: true })]);
      const ecObjects = await inspectVersion(fixture.moduleSpec, serial, ec.KeyMetadata.PrimaryKeyVersion ?? '');
      expect(ecObjects.map((object) => object.objectClass).sort()).toEqual(['PRIVATE_KEY', 'PUBLIC_KEY']);
    }
  });

  it('checks the one-store-per-cluster rule and the kmsuser password', async () => {
    const second = await createClusterWithMembers(test, 'trust-check', []);
    expect((await test.fail('CreateKeyStore', { KeyStoreName: 'x', ClusterId: second.clusterId, KeyStorePassword: KMSUSER_PASSWORD, TrustAnchorCertificate: certificate })).Code).toBe(
      'Forbidden.ClusterState',
    );
    const again = { KeyStoreName: 'second-store', ClusterId: setUp.clusterId, KeyStorePassword: KMSUSER_PASSWORD };
    expect((await test.fail('CreateKeyStore', { ...again, TrustAnchorCertificate: certificate })).Code).toBe('AlreadyExists.KeyStore');

    await test.call('DisconnectKeyStore', { KeyStoreId: keyStoreId });
    const refused = await test.fail('ConnectKeyStore', { KeyStoreId: keyStoreId, KeyStorePassword: 'Wrong2026pw' });
    expect(refused.Code).toBe('HsmError.PinIncorrect');
    expect((await test.call('DescribeKeyStores', { KeyStoreId: keyStoreId })).KeyStores[0]).toMatchObject({
      ConnectionState: 'FAILED',
      ConnectionErrorCode: 'INVALID_CREDENTIALS',
      KeyStoreType: 'HSM_CLUSTER',
      ProtectionLevel: 'HSM',
      ClusterId: setUp.clusterId,
      KeyCount: 2,
    });
    await test.call('ConnectKeyStore', { KeyStoreId: keyStoreId, KeyStorePassword: KMSUSER_PASSWORD });
    expect((await test.call('DescribeKeyStores', { KeyStoreId: keyStoreId })).KeyStores[0]?.ConnectionState).toBe('CONNECTED');
  });

  it('changes the kmsuser password on every member or on none', async () => {
    const policy = await test.fail('ChangeCryptoUserPassword', { ClusterId: setUp.clusterId, UserName: 'kmsuser', OldPassword: KMSUSER_PASSWORD, NewPassword: 'short' });
    expect(policy.Code).toBe('InvalidParameter');
    expect(policy.Message).toMatch(/8-64 characters/);
    const wrongOld = await test.fail('ChangeCryptoUserPassword', { ClusterId: setUp.clusterId, UserName: 'kmsuser', OldPassword: 'NotThe1Password', NewPassword: NEW_PASSWORD });
    expect(wrongOld.Code).toBe('HsmError.PinIncorrect');
    const changed = await test.call('ChangeCryptoUserPassword', { ClusterId: setUp.clusterId, UserName: 'kmsuser', OldPassword: KMSUSER_PASSWORD, NewPassword: NEW_PASSWORD });
    expect(changed.Members.map((member) => member.Status)).toEqual(['CHANGED', 'CHANGED']);
    // A connected store is not logged in again (the password would not be checked): disconnect first.
    await test.call('DisconnectKeyStore', { KeyStoreId: keyStoreId });
    expect((await test.fail('ConnectKeyStore', { KeyStoreId: keyStoreId, KeyStorePassword: KMSUSER_PASSWORD })).Code).toBe('HsmError.PinIncorrect');
    await test.call('ConnectKeyStore', { KeyStoreId: keyStoreId, KeyStorePassword: NEW_PASSWORD });
    await test.call('ChangeCryptoUserPassword', { ClusterId: setUp.clusterId, UserName: 'kmsuser', OldPassword: NEW_PASSWORD, NewPassword: KMSUSER_PASSWORD });
    const users = await test.call('DescribeCryptoUsers', { ClusterId: setUp.clusterId });
    expect(users.Users.map((user) => user.UserName)).toEqual(['kmsuser']);
    expect(JSON.stringify(users)).not.toContain(KMSUSER_PASSWORD);
  });

  it('renames the store and refuses to delete it while connected or holding keys', async () => {
    await test.call('UpdateKeyStore', { KeyStoreId: keyStoreId, NewKeyStoreName: 'renamed-store' });
    expect((await test.call('DescribeKeyStores', { KeyStoreId: keyStoreId })).KeyStores[0]?.KeyStoreName).toBe('renamed-store');
    expect((await test.fail('DeleteKeyStore', { KeyStoreId: keyStoreId })).Code).toBe('Forbidden.KeyStoreState');
    await test.call('DisconnectKeyStore', { KeyStoreId: keyStoreId });
    expect((await test.fail('DeleteKeyStore', { KeyStoreId: keyStoreId })).Code).toBe('Forbidden.KeyStoreNotEmpty');
    expect((await test.fail('DeregisterModule', { ModuleId: setUp.moduleIds[0] })).Code).toBe('Forbidden.ModuleInUse');
  });

  it('refuses duplicate names, foreign or missing tokens, and steps out of order', async () => {
    expect((await test.fail('CreateCluster', { ClusterName: 'local-cluster' })).Code).toBe('AlreadyExists.Cluster');
    const empty = await createClusterWithMembers(test, 'empty', []);
    expect((await test.fail('InitializeCluster', { ClusterId: empty.clusterId, SoPin: SO_PIN })).Code).toBe('InsufficientHsms');
    expect((await test.fail('CreateCryptoUser', { ClusterId: empty.clusterId, UserName: 'kmsuser', Password: KMSUSER_PASSWORD, SoPin: SO_PIN })).Code).toBe(
      'Forbidden.ClusterState',
    );
    expect((await test.fail('GetClusterCertificate', { ClusterId: empty.clusterId })).Code).toBe('Forbidden.ClusterState');
    const moduleId = setUp.moduleIds[0] ?? '';
    const taken = await test.fail('CreateHsm', { ClusterId: empty.clusterId, ModuleId: moduleId, TokenSerial: serials[0], Zone: 'zone-a' });
    expect(taken.Code).toBe('AlreadyExists.Hsm');
    const absent = await test.fail('CreateHsm', { ClusterId: empty.clusterId, ModuleId: moduleId, TokenSerial: 'ffffffffffffffff', Zone: 'zone-a' });
    expect(absent.Code).toBe('HsmError.TokenNotPresent');
    expect((await test.fail('CreateHsm', { ClusterId: empty.clusterId, ModuleId: 'mod-nope', SlotId: 1, Zone: 'zone-a' })).Code).toBe('NotFound.Module');
    expect((await test.fail('CreateHsm', { ClusterId: empty.clusterId, ModuleId: moduleId, SlotId: 1, TokenSerial: 'x', Zone: 'a' })).Code).toBe('InvalidParameter');
    const again = { ClusterId: setUp.clusterId, UserName: 'kmsuser', Password: KMSUSER_PASSWORD, SoPin: SO_PIN };
    expect((await test.fail('CreateCryptoUser', again)).Code).toBe('AlreadyExists.CryptoUser');
    const weak = await test.fail('CreateCryptoUser', { ...again, ClusterId: empty.clusterId, Password: 'lettersonly' });
    expect(weak.Code).toBe('InvalidParameter');
    expect(weak.Message).toMatch(/digit/);
  });

  it('keeps no PIN or password in the registry, its WAL or the audit trail', async () => {
    const files = readdirSync(test.dataDir).filter((file) => file.startsWith('registry.sqlite'));
    expect(files.length).toBeGreaterThan(0);
    const stored = Buffer.concat(files.map((file) => readFileSync(path.join(test.dataDir, file))));
    for (const secret of [SO_PIN, KMSUSER_PASSWORD, NEW_PASSWORD]) expect(stored.includes(Buffer.from(secret))).toBe(false);
    const events = await test.call('ListAuditEvents', { PageSize: 100 });
    expect((await test.call('VerifyAuditLog', {})).Valid).toBe(true);
    expect(events.Events.map((event) => event.Operation)).toEqual(expect.arrayContaining(['InitializeCluster', 'CreateCryptoUser', 'CreateKeyStore']));
  });

  it('activates a single-HSM cluster only when it was created as a lab cluster, and checks trust anchors in the HSM', async () => {
    const plan = [softHsmMember(fixture, 'zone-a', { moduleId: setUp.moduleIds[0] })];
    const single = await createClusterWithMembers(test, 'single', plan);
    await test.call('InitializeCluster', { ClusterId: single.clusterId, SoPin: SO_PIN });
    const refused = await test.fail('ActivateCluster', { ClusterId: single.clusterId });
    expect(refused.Code).toBe('InsufficientHsms');
    expect(refused.Message).toMatch(/AllowSingleHsm/);

    const lab = await createClusterWithMembers(test, 'lab', plan, true);
    await test.call('InitializeCluster', { ClusterId: lab.clusterId, SoPin: SO_PIN });
    expect(await test.call('ActivateCluster', { ClusterId: lab.clusterId })).toMatchObject({ State: 'ACTIVE', LabCluster: true });
    const listed = (await test.call('DescribeClusters', {})).Clusters.find((cluster) => cluster.ClusterId === lab.clusterId);
    expect(listed).toMatchObject({ LabCluster: true, HsmCount: 1 });

    await test.call('CreateCryptoUser', { ClusterId: lab.clusterId, UserName: 'kmsuser', Password: KMSUSER_PASSWORD, SoPin: SO_PIN });
    const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const impostor = await x509.X509CertificateGenerator.createSelfSigned(
      { name: 'CN=Impostor', keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' }, notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000) },
      webcrypto,
    );
    const store = { KeyStoreName: 'lab-store', ClusterId: lab.clusterId, KeyStorePassword: KMSUSER_PASSWORD };
    // Another cluster's genuine certificate and a self-made one both fail the in-HSM check.
    for (const anchor of [certificate, impostor.toString('pem')]) {
      const mismatch = await test.fail('CreateKeyStore', { ...store, TrustAnchorCertificate: anchor });
      expect(mismatch.Code).toBe('TrustAnchorMismatch');
    }
    const labCertificate = (await test.call('GetClusterCertificate', { ClusterId: lab.clusterId })).ClusterOwnerCertificate;
    expect((await test.fail('CreateKeyStore', { ...store, KeyStorePassword: 'Wrong2026pw', TrustAnchorCertificate: labCertificate })).Code).toBe('HsmError.PinIncorrect');
    const { KeyStoreId } = await test.call('CreateKeyStore', { ...store, TrustAnchorCertificate: labCertificate });
    expect((await test.call('ConnectKeyStore', { KeyStoreId, KeyStorePassword: KMSUSER_PASSWORD })).ConnectionState).toBe('CONNECTED');
    await test.call('DisconnectKeyStore', { KeyStoreId });

    // The HSM is swapped behind Keyward's back: a new owner key no longer matches the certificate.
    const labSerial = (await test.call('DescribeCluster', { ClusterId: lab.clusterId })).Cluster.Hsms[0]?.TokenSerial ?? '';
    await replaceOwnerKey(fixture.moduleSpec, labSerial);
    expect((await test.fail('ConnectKeyStore', { KeyStoreId, KeyStorePassword: KMSUSER_PASSWORD })).Code).toBe('TrustAnchorMismatch');
    expect((await test.call('DescribeKeyStores', { KeyStoreId })).KeyStores[0]).toMatchObject({
      ConnectionState: 'FAILED',
      ConnectionErrorCode: 'TRUST_ANCHOR_MISMATCH',
    });
    await test.call('DeleteKeyStore', { KeyStoreId });
    expect((await test.call('DescribeClusters', {})).Clusters.find((cluster) => cluster.ClusterId === lab.clusterId)?.KeyStoreId).toBeNull();
  });
});
