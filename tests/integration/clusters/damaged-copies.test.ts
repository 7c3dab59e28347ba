/**
 * Member copies are judged by their check value inside the HSM, not by their presence: on a local
 * cluster (two SoftHSM2 tokens) a copy is taken away, damaged (the object under the right CKA_ID
 * with unusable material, as a member killed inside C_UnwrapKey leaves it), cut to half a key pair,
 * or replaced with other material, from outside Keyward. Keyward serves the key from the sound
 * member meanwhile; SyncCluster puts a sound copy back, and reports (and leaves alone) copies that
 * are sound but disagree, since nothing says which one is right.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HsmModuleClient } from '../../../electron/main/hsm/client';
import { createNodeWorkerLauncher } from '../../../electron/main/hsm/node-launcher';
import { objectIdOfVersion } from '../../../electron/main/services/keys/key-identifiers';
import { bringUpKeyStore, createClusterWithMembers, KMSUSER_PASSWORD, SO_PIN, softHsmMember, type ClusterSetUp } from '../../support/cluster-flow';
import { importKnownSecret } from '../../support/known-secret';
import { createSoftHsmFixture, initializeTokenWithUtil, type SoftHsmFixture } from '../../support/softhsm';
import { createTestCore, removeDir, type TestCore } from '../../support/test-core';

const MESSAGE = Buffer.from('quarterly settlement').toString('base64');
const DIGEST = createHash('sha256').update('quarterly settlement').digest('base64');

describe('cluster member copies checked by their check value (two local SoftHSM2 tokens)', () => {
  let test: TestCore;
  let fixture: SoftHsmFixture;
  let setUp: ClusterSetUp;
  let outside: HsmModuleClient;
  let serials: [string, string];
  let macKey = { keyId: '', objectId: '', mac: '' };
  let pairKey = { keyId: '', objectId: '' };
  let aesKey = { keyId: '', objectId: '' };

  const checkValues = async (objectId: string): Promise<string[]> =>
    Promise.all(serials.map(async (serial) => (await outside.keyCheckValue({ serial, objectId })).toString('hex')));
  const sync = async () => test.call('SyncCluster', { ClusterId: setUp.clusterId });

  beforeAll(async () => {
    test = await createTestCore();
    fixture = await createSoftHsmFixture();
    const firstSerial = initializeTokenWithUtil(fixture, 'vendor-token', SO_PIN);
    setUp = await createClusterWithMembers(test, 'copies-cluster', [softHsmMember(fixture, 'zone-a', { tokenSerial: firstSerial }), softHsmMember(fixture, 'zone-b')]);
    const { keyStoreId } = await bringUpKeyStore(test, setUp, 'copies-store');
    const { Cluster } = await test.call('DescribeCluster', { ClusterId: setUp.clusterId });
    serials = Cluster.Hsms.map((hsm) => hsm.TokenSerial ?? '') as [string, string];

    const hmac = (await test.call('CreateKey', { KeySpec: 'HMAC_SHA256', KeyUsage: 'GENERATE/VERIFY_MAC', KeyStoreId: keyStoreId })).KeyMetadata;
    macKey = {
      keyId: hmac.KeyId,
      objectId: objectIdOfVersion(hmac.PrimaryKeyVersion ?? ''),
      mac: (await test.call('GenerateMac', { KeyId: hmac.KeyId, Message: MESSAGE })).Mac,
    };
    const ec = (await test.call('CreateKey', { KeySpec: 'EC_P256', KeyUsage: 'SIGN/VERIFY', KeyStoreId: keyStoreId })).KeyMetadata;
    pairKey = { keyId: ec.KeyId, objectId: objectIdOfVersion(ec.PrimaryKeyVersion ?? '') };
    const aes = (await test.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyStoreId: keyStoreId })).KeyMetadata;
    aesKey = { keyId: aes.KeyId, objectId: objectIdOfVersion(aes.PrimaryKeyVersion ?? '') };

    outside = new HsmModuleClient(fixture.moduleSpec, { launcher: createNodeWorkerLauncher() });
    for (const serial of serials) await outside.login({ serial, userPin: KMSUSER_PASSWORD });
  }, 120_000);

  afterAll(async () => {
    await outside.close();
    await test.close();
    await fixture.cleanup();
    removeDir(test.dataDir);
  });

  it('replication leaves every member with a copy of the same check value', async () => {
    for (const objectId of [macKey.objectId, pairKey.objectId, aesKey.objectId]) {
      const [first, second] = await checkValues(objectId);
      expect(first).toMatch(/^[0-9a-f]{16}$/);
      expect(second).toBe(first);
    }
  });

  it('a member without its copy is passed over, and SyncCluster copies the key back', async () => {
    await outside.destroyKey({ serial: serials[0], objectId: macKey.objectId });
    expect((await test.call('GenerateMac', { KeyId: macKey.keyId, Message: MESSAGE })).Mac).toBe(macKey.mac);

    const synced = await sync();
    expect(synced.State).toBe('ACTIVE');
    expect(synced.Members.map(({ Replicated, Repaired, Failed }) => ({ Replicated, Repaired, Failed }))).toEqual([
      { Replicated: 1, Repaired: 0, Failed: [] },
      { Replicated: 0, Repaired: 0, Failed: [] },
    ]);
    const [first, second] = await checkValues(macKey.objectId);
    expect(first).toBe(second);
  });

  it('a damaged copy is served around, and SyncCluster replaces it with a sound one', async () => {
    const before = await checkValues(macKey.objectId);
    importKnownSecret({ moduleSpec: fixture.moduleSpec, serial: serials[0], pin: KMSUSER_PASSWORD }, macKey.objectId, Buffer.from([7]), { replaceExisting: true });
    await expect(outside.keyCheckValue({ serial: serials[0], objectId: macKey.objectId })).rejects.toMatchObject({ ckr: 'CKR_KEY_SIZE_RANGE' });
    // The first member holds the damaged copy; the call is answered by the second.
    expect((await test.call('GenerateMac', { KeyId: macKey.keyId, Message: MESSAGE })).Mac).toBe(macKey.mac);

    const synced = await sync();
    expect(synced.Members.map(({ Replicated, Repaired, Failed }) => ({ Replicated, Repaired, Failed }))).toEqual([
      { Replicated: 0, Repaired: 1, Failed: [] },
      { Replicated: 0, Repaired: 0, Failed: [] },
    ]);
    expect(await checkValues(macKey.objectId)).toEqual(before);
    const audit = await test.call('ListAuditEvents', { Filters: [{ Key: 'Operation', Values: ['SyncCluster'] }] });
    expect(JSON.stringify(audit)).toContain('"Repaired":1');
  });

  it('a damaged AES copy (no AES key length) is served around for Encrypt, and SyncCluster replaces it', async () => {
    const before = await checkValues(aesKey.objectId);
    importKnownSecret({ moduleSpec: fixture.moduleSpec, serial: serials[0], pin: KMSUSER_PASSWORD }, aesKey.objectId, Buffer.alloc(5, 1), {
      replaceExisting: true,
      keyType: 'AES',
    });
    const { CiphertextBlob } = await test.call('Encrypt', { KeyId: aesKey.keyId, Plaintext: MESSAGE });

    const synced = await sync();
    expect(synced.Members.map((member) => [member.Repaired, member.Failed])).toEqual([
      [1, []],
      [0, []],
    ]);
    expect(await checkValues(aesKey.objectId)).toEqual(before);
    expect((await test.call('Decrypt', { CiphertextBlob })).Plaintext).toBe(MESSAGE);
  });

  it('half a key pair is a damaged copy: SyncCluster replaces it and the pair signs again', async () => {
    const before = await checkValues(pairKey.objectId);
    const material = await outside.getPublicKey({ serial: serials[1], objectId: pairKey.objectId });
    await outside.destroyKey({ serial: serials[1], objectId: pairKey.objectId });
    await outside.createPublicKey({ serial: serials[1], objectId: pairKey.objectId, label: 'half', spec: { kind: 'EC', curve: 'P-256' }, material });

    const synced = await sync();
    expect(synced.Members.map((member) => member.Repaired)).toEqual([0, 1]);
    expect(await checkValues(pairKey.objectId)).toEqual(before);
    const { Value } = await test.call('AsymmetricSign', { KeyId: pairKey.keyId, Algorithm: 'ECDSA_SHA_256', Digest: DIGEST });
    expect((await test.call('AsymmetricVerify', { KeyId: pairKey.keyId, Algorithm: 'ECDSA_SHA_256', Digest: DIGEST, Value })).Value).toBe(true);
  });

  it('sound copies that disagree are reported on every member and left as they are', async () => {
    const other = Buffer.alloc(32, 0x5a);
    importKnownSecret({ moduleSpec: fixture.moduleSpec, serial: serials[1], pin: KMSUSER_PASSWORD }, macKey.objectId, other, { replaceExisting: true });
    const before = await checkValues(macKey.objectId);
    expect(before[0]).not.toBe(before[1]);

    const synced = await sync();
    for (const member of synced.Members) {
      expect(member.Failed).toHaveLength(1);
      expect(member.Failed[0]).toMatchObject({ KeyId: macKey.keyId });
      expect(member.Failed[0]?.Reason).toContain('different material');
    }
    expect(await checkValues(macKey.objectId)).toEqual(before);
  });
});
