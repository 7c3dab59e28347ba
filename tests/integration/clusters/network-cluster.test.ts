/**
 * A cluster of two network HSMs: each member is a real `p11-kit server` over its own SoftHSM2
 * token dir, reached through p11-kit-client.so. Secret CMKs replicate over RSA-OAEP (all p11-kit
 * 0.24 forwards); killing servers degrades the cluster or fails the key store, and SyncCluster /
 * ConnectKeyStore bring everything back without losing a key.
 */
import { constants, createHmac, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P11KIT_CLIENT_PATH, startP11KitServer, type P11KitServer } from '../../support/p11kit-server';
import { createTestCore, removeDir, type TestCore } from '../../support/test-core';
import { bringUpKeyStore, createClusterWithMembers, inspectVersion, KMSUSER_PASSWORD, SO_PIN, type ClusterSetUp } from '../../support/cluster-flow';

const MESSAGE = Buffer.from('ledger line 42').toString('base64');

describe('network HSM cluster (two p11-kit servers)', () => {
  let test: TestCore;
  let servers: P11KitServer[];
  let setUp: ClusterSetUp;
  let keyStoreId: string;
  const macs = new Map<string, string>();

  async function mac(keyId: string): Promise<string> {
    return (await test.call('GenerateMac', { KeyId: keyId, Message: MESSAGE })).Mac;
  }

  async function createMacKey(): Promise<{ keyId: string; versionId: string }> {
    const { KeyMetadata } = await test.call('CreateKey', { KeySpec: 'HMAC_SHA256', KeyUsage: 'GENERATE/VERIFY_MAC', KeyStoreId: keyStoreId });
    const keyId = KeyMetadata.KeyId;
    macs.set(keyId, await mac(keyId));
    return { keyId, versionId: KeyMetadata.PrimaryKeyVersion ?? '' };
  }

  async function presentOn(server: P11KitServer, versionId: string): Promise<boolean> {
    return (await inspectVersion(server.clientSpec, server.serial, versionId)).some((object) => object.wrapWithTrusted === true);
  }

  beforeAll(async () => {
    servers = await Promise.all([startP11KitServer({ label: 'net-hsm-a', soPin: SO_PIN }), startP11KitServer({ label: 'net-hsm-b', soPin: SO_PIN })]);
    test = await createTestCore();
    setUp = await createClusterWithMembers(
      test,
      'network-cluster',
      servers.map((server, index) => ({
        moduleName: `p11-kit ${server.label}`,
        path: P11KIT_CLIENT_PATH,
        environment: server.clientEnvironment,
        zone: `zone-${index}`,
        tokenSerial: server.serial,
      })),
    );
    ({ keyStoreId } = await bringUpKeyStore(test, setUp, 'network-store'));
  });
  afterAll(async () => {
    await test.close();
    await Promise.all(servers.map((server) => server.cleanup()));
    removeDir(test.dataDir);
  });

  it('describes both members as network HSMs without AES key wrap or AES-GCM', async () => {
    const { Cluster } = await test.call('DescribeCluster', { ClusterId: setUp.clusterId });
    expect(Cluster.State).toBe('ACTIVE');
    expect(Cluster.Hsms.map((hsm) => [hsm.Health, hsm.NetworkHsm, hsm.SupportsAesKeyWrap, hsm.SupportsAesGcm])).toEqual([
      ['HEALTHY', true, false, false],
      ['HEALTHY', true, false, false],
    ]);
    const { Module } = await test.call('DescribeModule', { ModuleId: setUp.moduleIds[0] ?? '' });
    expect(Module.Slots[0]?.Mechanisms.map((mechanism) => mechanism.Name)).toContain('CKM_RSA_PKCS_OAEP');
  });

  it('creates an HMAC CMK on both members and uses it; refuses what p11-kit cannot carry, naming the module', async () => {
    const { keyId, versionId } = await createMacKey();
    const verified = await test.call('VerifyMac', { KeyId: keyId, Message: MESSAGE, Mac: macs.get(keyId) ?? '' });
    expect(verified.MacValid).toBe(true);
    for (const server of servers) expect(await presentOn(server, versionId)).toBe(true);

    const ec = await test.fail('CreateKey', { KeySpec: 'EC_P256', KeyUsage: 'SIGN/VERIFY', KeyStoreId: keyStoreId });
    expect(ec.Code).toBe('UnsupportedOperation');
    expect(ec.Message).toContain('p11-kit net-hsm-');

    const aes = await test.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyStoreId: keyStoreId });
    for (const server of servers) expect(await presentOn(server, aes.KeyMetadata.PrimaryKeyVersion ?? '')).toBe(true);
    const encrypt = await test.fail('Encrypt', { KeyId: aes.KeyMetadata.KeyId, Plaintext: MESSAGE });
    expect(encrypt.Code).toBe('UnsupportedOperation');
    expect(encrypt.Message).toContain('p11-kit net-hsm-a');
  });

  it('refuses Ed25519 keys and key pair imports, which p11-kit 0.24 cannot carry, and says so in DescribeKeyStoreCapabilities', async () => {
    const capabilities = await test.call('DescribeKeyStoreCapabilities', { KeyStoreId: keyStoreId });
    expect(capabilities.WrappingAlgorithms).toEqual(['RSAES_OAEP_SHA_1']);
    expect(capabilities.KeySpecs).toEqual(['Aliyun_AES_256', 'Aliyun_AES_128', 'Aliyun_AES_192', 'HMAC_SHA256', 'HMAC_SHA512']);

    const ed25519 = await test.fail('CreateKey', { KeySpec: 'EC_ED25519', KeyStoreId: keyStoreId });
    expect(ed25519.Code).toBe('UnsupportedOperation');
    expect(ed25519.Message).toMatch(/does not support EC_ED25519 \(it lists no CKM_EC_EDWARDS_KEY_PAIR_GEN and CKM_EDDSA\)/);

    const external = { KeySpec: 'RSA_2048', KeyUsage: 'SIGN/VERIFY', Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true, KeyStoreId: keyStoreId } as const;
    const rsa = (await test.call('CreateKey', external)).KeyMetadata.KeyId;
    const refused = await test.fail('GetParametersForImport', { KeyId: rsa, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_1' });
    expect(refused.Code).toBe('UnsupportedOperation');
    expect(refused.Message).toContain('p11-kit-client 0.24 does not forward it');
  });

  async function createExternalMacKey(): Promise<string> {
    return (await test.call('CreateKey', { KeySpec: 'HMAC_SHA256', Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true, KeyStoreId: keyStoreId })).KeyMetadata.KeyId;
  }

  /** GetParametersForImport + ImportKeyMaterial of fresh HMAC material; checks the MAC against one computed outside. */
  async function importMacMaterial(keyId: string): Promise<string> {
    const secret = randomBytes(32);
    const parameters = await test.call('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_1', WrappingKeySpec: 'RSA_2048' });
    const wrappingKey = createPublicKey({ key: Buffer.from(parameters.PublicKey, 'base64'), format: 'der', type: 'spki' });
    const wrapped = publicEncrypt({ key: wrappingKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, secret);
    await test.call('ImportKeyMaterial', { KeyId: keyId, ImportToken: parameters.ImportToken, EncryptedKeyMaterial: wrapped.toString('base64') });
    macs.set(keyId, await mac(keyId));
    expect(macs.get(keyId)).toBe(createHmac('sha256', secret).update(Buffer.from(MESSAGE, 'base64')).digest('base64'));
    return (await test.call('DescribeKey', { KeyId: keyId })).KeyMetadata.PrimaryKeyVersion;
  }

  it('imports HMAC material on one network member and replicates it to the other over RSA-OAEP', async () => {
    const versionId = await importMacMaterial(await createExternalMacKey());
    for (const server of servers) expect(await presentOn(server, versionId)).toBe(true);
  });

  it('keeps working on one member when the other server dies, and SyncCluster brings the missing keys back', async () => {
    const [a, b] = servers as [P11KitServer, P11KitServer];
    const [existing] = [...macs.keys()];
    const external = await createExternalMacKey();
    await a.kill();
    // The first member (the owner HSM) is gone: GetParametersForImport, the first call to notice,
    // generates the wrapping key pair on the second instead, and the import completes there.
    const imported = await importMacMaterial(external);
    expect(await presentOn(b, imported)).toBe(true);
    expect(await mac(existing ?? '')).toBe(macs.get(existing ?? ''));
    expect((await test.call('DescribeClusters', {})).Clusters[0]?.State).toBe('DEGRADED');
    // Noticed during a call, not by a SyncCluster: audited as the health change it is.
    const healthEvents = await test.call('ListAuditEvents', { Filters: [{ Key: 'Operation', Values: ['ClusterHealthChange'] }] });
    expect(healthEvents.Events.map((event) => [event.ResourceId, event.Details.State])).toContainEqual([setUp.clusterId, 'DEGRADED']);
    const described = await test.call('DescribeCluster', { ClusterId: setUp.clusterId });
    expect(described.Cluster.Hsms.map((hsm) => hsm.Health)).toEqual(['UNREACHABLE', 'HEALTHY']);

    const created = await createMacKey();
    expect(await presentOn(b, created.versionId)).toBe(true);

    await a.start();
    const withoutPassword = await test.call('SyncCluster', { ClusterId: setUp.clusterId });
    expect(withoutPassword.State).toBe('DEGRADED');
    expect(withoutPassword.Members[0]).toMatchObject({ Health: 'HEALTHY', Connected: false });
    const synced = await test.call('SyncCluster', { ClusterId: setUp.clusterId, KeyStorePassword: KMSUSER_PASSWORD });
    expect(synced.State).toBe('ACTIVE');
    expect(synced.Members[0]).toMatchObject({ Connected: true, Replicated: 2, Failed: [] });
    expect(synced.Members[1]).toMatchObject({ Connected: true, Replicated: 0, Failed: [] });
    expect(await presentOn(a, created.versionId)).toBe(true);
    expect(await presentOn(a, imported)).toBe(true);
  });

  it('fails the key store with NETWORK_ERRORS when every server is gone, and reconnects without losing a key', async () => {
    await Promise.all(servers.map((server) => server.kill()));
    const [first] = [...macs.keys()];
    const failed = await test.fail('GenerateMac', { KeyId: first, Message: MESSAGE });
    expect(['HsmError.DeviceError', 'HsmError.WorkerCrashed', 'Forbidden.KeyStoreState']).toContain(failed.Code);
    expect((await test.call('DescribeKeyStores', { KeyStoreId: keyStoreId })).KeyStores[0]).toMatchObject({
      ConnectionState: 'FAILED',
      ConnectionErrorCode: 'NETWORK_ERRORS',
    });
    const offline = await test.fail('ConnectKeyStore', { KeyStoreId: keyStoreId, KeyStorePassword: KMSUSER_PASSWORD });
    expect(offline.Code).toBe('HsmError.DeviceError');

    await Promise.all(servers.map((server) => server.start()));
    const wrong = await test.fail('ConnectKeyStore', { KeyStoreId: keyStoreId, KeyStorePassword: 'Wrong2026pw' });
    expect(wrong.Code).toBe('HsmError.PinIncorrect');
    expect((await test.call('DescribeKeyStores', { KeyStoreId: keyStoreId })).KeyStores[0]?.ConnectionErrorCode).toBe('INVALID_CREDENTIALS');
    await test.call('ConnectKeyStore', { KeyStoreId: keyStoreId, KeyStorePassword: KMSUSER_PASSWORD });
    expect((await test.call('DescribeCluster', { ClusterId: setUp.clusterId })).Cluster.State).toBe('ACTIVE');
    for (const [keyId, expected] of macs) expect(await mac(keyId)).toBe(expected);
  });

  it('reports a hung server as unreachable within the probe timeout without dropping its login', async () => {
    const [a, b] = servers as [P11KitServer, P11KitServer];
    b.pause();
    try {
      const started = Date.now();
      const { Cluster } = await test.call('DescribeCluster', { ClusterId: setUp.clusterId });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(Cluster.State).toBe('DEGRADED');
      expect(Cluster.Hsms.map((hsm) => hsm.Health)).toEqual(['HEALTHY', 'UNREACHABLE']);
      const [keyId] = [...macs.keys()];
      expect(await mac(keyId ?? '')).toBe(macs.get(keyId ?? ''));
    } finally {
      b.resume();
    }
    expect(a.running && b.running).toBe(true);
    // A slow member keeps its worker and its login: once it answers, the cluster is whole again.
    expect((await test.call('DescribeCluster', { ClusterId: setUp.clusterId })).Cluster.State).toBe('ACTIVE');
    const synced = await test.call('SyncCluster', { ClusterId: setUp.clusterId });
    expect(synced.State).toBe('ACTIVE');
    expect(synced.Members.map((member) => [member.Connected, member.Failed.length])).toEqual([
      [true, 0],
      [true, 0],
    ]);
  });
});
