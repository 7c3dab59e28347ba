/**
 * Growing and repairing an active cluster: a third SoftHSM2 token is added to a two-member ACTIVE
 * cluster whose key store is connected and holds keys. Added, it is UNINITIALIZED and the cluster
 * carries on; JoinHsm with a wrong SO PIN changes nothing; with the right one the member gets the
 * domain key, kmsuser and a copy of every key version (same check value, read from outside
 * Keyward), and new keys replicate to it. A non-owner member can then be removed, the owner never.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HsmModuleClient } from '../../../electron/main/hsm/client';
import { createNodeWorkerLauncher } from '../../../electron/main/hsm/node-launcher';
import { transportKeyObjectId } from '../../../electron/main/services/clusters/cluster-objects';
import { objectIdOfVersion } from '../../../electron/main/services/keys/key-identifiers';
import { bringUpKeyStore, createClusterWithMembers, KMSUSER_PASSWORD, SO_PIN, softHsmMember, type ClusterSetUp } from '../../support/cluster-flow';
import { createSoftHsmFixture, initializeTokenWithUtil, type SoftHsmFixture } from '../../support/softhsm';
import { createTestCore, removeDir, type TestCore } from '../../support/test-core';

const MESSAGE = Buffer.from('ledger close').toString('base64');

describe('adding an HSM to an active cluster (three local SoftHSM2 tokens)', () => {
  let test: TestCore;
  let fixture: SoftHsmFixture;
  let setUp: ClusterSetUp;
  let keyStoreId: string;
  let outside: HsmModuleClient;
  let serials: string[];
  let newHsmId = '';
  let newSerial = '';
  let mac = { keyId: '', value: '' };
  const objectIds: string[] = [];

  const describeCluster = async () => (await test.call('DescribeCluster', { ClusterId: setUp.clusterId })).Cluster;
  const checkValue = async (serial: string, objectId: string) => (await outside.keyCheckValue({ serial, objectId })).toString('hex');

  beforeAll(async () => {
    test = await createTestCore();
    fixture = await createSoftHsmFixture();
    const firstSerial = initializeTokenWithUtil(fixture, 'vendor-token', SO_PIN);
    setUp = await createClusterWithMembers(test, 'growing-cluster', [softHsmMember(fixture, 'zone-a', { tokenSerial: firstSerial }), softHsmMember(fixture, 'zone-b')]);
    keyStoreId = (await bringUpKeyStore(test, setUp, 'growing-store')).keyStoreId;
    serials = (await describeCluster()).Hsms.map((hsm) => hsm.TokenSerial ?? '');

    const hmac = (await test.call('CreateKey', { KeySpec: 'HMAC_SHA256', KeyUsage: 'GENERATE/VERIFY_MAC', KeyStoreId: keyStoreId })).KeyMetadata;
    mac = { keyId: hmac.KeyId, value: (await test.call('GenerateMac', { KeyId: hmac.KeyId, Message: MESSAGE })).Mac };
    const aes = (await test.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyStoreId: keyStoreId })).KeyMetadata;
    const ec = (await test.call('CreateKey', { KeySpec: 'EC_P256', KeyUsage: 'SIGN/VERIFY', KeyStoreId: keyStoreId })).KeyMetadata;
    for (const key of [hmac, aes, ec]) objectIds.push(objectIdOfVersion(key.PrimaryKeyVersion ?? ''));

    outside = await lookFromOutside(serials);
  }, 120_000);

  /** A client of the test's own, logged in as kmsuser: a fresh process sees tokens initialized since. */
  async function lookFromOutside(tokenSerials: string[]): Promise<HsmModuleClient> {
    const client = new HsmModuleClient(fixture.moduleSpec, { launcher: createNodeWorkerLauncher() });
    for (const serial of tokenSerials) await client.login({ serial, userPin: KMSUSER_PASSWORD });
    return client;
  }

  afterAll(async () => {
    await outside.close();
    await test.close();
    await fixture.cleanup();
    removeDir(test.dataDir);
  });

  it('adds a token to the ACTIVE cluster as UNINITIALIZED; the cluster keeps working and stays ACTIVE', async () => {
    const moduleId = setUp.moduleIds[0] ?? '';
    const { Module } = await test.call('DescribeModule', { ModuleId: moduleId });
    const spare = Module.Slots.find((slot) => slot.Token && !slot.Token.Initialized);
    expect(spare).toBeDefined();
    newHsmId = (await test.call('CreateHsm', { ClusterId: setUp.clusterId, ModuleId: moduleId, SlotId: spare?.SlotId ?? -1, Zone: 'zone-c' })).HsmId;

    const cluster = await describeCluster();
    expect(cluster).toMatchObject({ State: 'ACTIVE', HsmCount: 3, Zones: ['zone-a', 'zone-b', 'zone-c'] });
    expect(cluster.Hsms.map((hsm) => [hsm.HsmId, hsm.State, hsm.Health])).toEqual([
      [setUp.hsmIds[0], 'INITIALIZED', 'HEALTHY'],
      [setUp.hsmIds[1], 'INITIALIZED', 'HEALTHY'],
      [newHsmId, 'UNINITIALIZED', 'NOT_INITIALIZED'],
    ]);
    expect((await test.call('GenerateMac', { KeyId: mac.keyId, Message: MESSAGE })).Mac).toBe(mac.value);
    const synced = await test.call('SyncCluster', { ClusterId: setUp.clusterId });
    expect(synced.State).toBe('ACTIVE');
    expect(synced.Members.map((member) => member.HsmId)).toEqual(setUp.hsmIds);
  });

  it('refuses JoinHsm with a wrong SO PIN or a wrong kmsuser password and changes nothing', async () => {
    const wrongSo = await test.fail('JoinHsm', { HsmId: newHsmId, SoPin: 'not-the-so-pin', KeyStorePassword: KMSUSER_PASSWORD });
    expect(wrongSo.Code).toBe('HsmError.PinIncorrect');
    expect(wrongSo.Message).not.toContain('not-the-so-pin');
    const wrongPassword = await test.fail('JoinHsm', { HsmId: newHsmId, SoPin: SO_PIN, KeyStorePassword: 'NotThe1Password' });
    expect(wrongPassword.Code).toBe('HsmError.PinIncorrect');

    const joining = (await describeCluster()).Hsms.find((hsm) => hsm.HsmId === newHsmId);
    expect(joining).toMatchObject({ State: 'UNINITIALIZED', Health: 'NOT_INITIALIZED', TokenSerial: null });
    expect((await test.fail('JoinHsm', { HsmId: setUp.hsmIds[1] ?? '', SoPin: SO_PIN, KeyStorePassword: KMSUSER_PASSWORD })).Code).toBe('Forbidden.ClusterState');
    expect((await test.fail('JoinHsm', { HsmId: 'hsm-nope', SoPin: SO_PIN, KeyStorePassword: KMSUSER_PASSWORD })).Code).toBe('NotFound.Hsm');
  });

  it('joins the member: domain key, kmsuser and every key version with the same check value', async () => {
    const joined = await test.call('JoinHsm', { HsmId: newHsmId, SoPin: SO_PIN, KeyStorePassword: KMSUSER_PASSWORD });
    expect(joined).toMatchObject({ HsmId: newHsmId, State: 'INITIALIZED', Synchronized: true });
    expect(joined.Replication).toMatchObject({ HsmId: newHsmId, Connected: true, Replicated: objectIds.length, Failed: [] });

    const cluster = await describeCluster();
    expect(cluster.State).toBe('ACTIVE');
    expect(cluster.Hsms.map((hsm) => [hsm.State, hsm.Health])).toEqual([
      ['INITIALIZED', 'HEALTHY'],
      ['INITIALIZED', 'HEALTHY'],
      ['INITIALIZED', 'HEALTHY'],
    ]);
    newSerial = cluster.Hsms[2]?.TokenSerial ?? '';
    expect(newSerial).toMatch(/^[0-9a-f]+$/);
    await outside.close();
    outside = await lookFromOutside([...serials, newSerial]);
    for (const objectId of objectIds) {
      const original = await checkValue(serials[0] ?? '', objectId);
      expect(await checkValue(newSerial, objectId)).toBe(original);
    }
  });

  it('replicates a key created afterwards to all three members', async () => {
    const aes = (await test.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyStoreId: keyStoreId })).KeyMetadata;
    const objectId = objectIdOfVersion(aes.PrimaryKeyVersion ?? '');
    const values = await Promise.all([...serials, newSerial].map((serial) => checkValue(serial, objectId)));
    expect(values[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(values).size).toBe(1);
    const plaintext = Buffer.from('three copies').toString('base64');
    const sealed = await test.call('Encrypt', { KeyId: aes.KeyId, Plaintext: plaintext });
    expect((await test.call('Decrypt', { CiphertextBlob: sealed.CiphertextBlob })).Plaintext).toBe(plaintext);
  });

  it('removes a non-owner member, refuses the owner and a removal that would leave one HSM', async () => {
    const [ownerId, secondId] = setUp.hsmIds as [string, string];
    expect(await test.call('DeleteHsm', { HsmId: secondId })).toEqual({ HsmId: secondId, RequestId: expect.any(String) });

    const cluster = await describeCluster();
    expect(cluster).toMatchObject({ State: 'ACTIVE', HsmCount: 2 });
    expect(cluster.Hsms.map((hsm) => hsm.HsmId)).toEqual([ownerId, newHsmId]);
    expect((await test.call('GenerateMac', { KeyId: mac.keyId, Message: MESSAGE })).Mac).toBe(mac.value);
    const hmac = (await test.call('CreateKey', { KeySpec: 'HMAC_SHA256', KeyUsage: 'GENERATE/VERIFY_MAC', KeyStoreId: keyStoreId })).KeyMetadata;
    const objectId = objectIdOfVersion(hmac.PrimaryKeyVersion ?? '');
    expect(await checkValue(newSerial, objectId)).toBe(await checkValue(serials[0] ?? '', objectId));
    await expect(outside.keyExists({ serial: serials[1] ?? '', objectId })).resolves.toBe(false);
    // The members no longer hold a trusted wrapping key for the HSM that left; the new member's stays.
    await expect(outside.keyExists({ serial: serials[0] ?? '', objectId: transportKeyObjectId(secondId) })).resolves.toBe(false);
    await expect(outside.keyExists({ serial: serials[0] ?? '', objectId: transportKeyObjectId(newHsmId) })).resolves.toBe(true);

    const owner = await test.fail('DeleteHsm', { HsmId: ownerId });
    expect(owner.Code).toBe('Forbidden.ClusterState');
    expect(owner.Message).toContain('owner key');
    expect((await test.fail('DeleteHsm', { HsmId: newHsmId })).Code).toBe('InsufficientHsms');
    expect((await describeCluster()).HsmCount).toBe(2);
  });

  it('keeps the audit chain intact, with every step recorded', async () => {
    const verified = await test.call('VerifyAuditLog', {});
    expect(verified).toMatchObject({ Valid: true, FirstBrokenSequence: null });
    const { Events } = await test.call('ListAuditEvents', { Filters: [{ Key: 'Operation', Values: ['JoinHsm', 'DeleteHsm'] }], PageNumber: 1, PageSize: 50 });
    const records = JSON.stringify(Events);
    expect(records).toContain('JoinHsm');
    expect(records).toContain('DeleteHsm');
    expect(records).not.toContain(SO_PIN);
    expect(records).not.toContain(KMSUSER_PASSWORD);
  });
});
