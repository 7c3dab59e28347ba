/**
 * Secrets whose CMK lives in an HSM cluster key store (two local SoftHSM2 members, each its own
 * worker): create, read and put under the cluster CMK, re-wrap between the default key store and
 * the cluster store both ways, and read on when one member is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SECRETS_KEY_ALIAS } from '../../../shared/contract';
import { bringUpKeyStore, createClusterWithMembers, softHsmMember } from '../../support/cluster-flow';
import { createSoftHsmFixture, killWorkersOf, type SoftHsmFixture } from '../../support/softhsm';
import { createInitializedTestCore, removeDir, type TestCore } from '../../support/test-core';

describe('secrets under a cluster key store CMK (2 local SoftHSM2 members)', () => {
  let t: TestCore;
  let fixtures: SoftHsmFixture[] = [];
  let keyStoreId = '';
  let clusterCmk = '';
  const value = async (SecretName: string, VersionId?: string): Promise<string> =>
    (await t.call('GetSecretValue', { SecretName, ...(VersionId ? { VersionId } : {}) })).SecretData;

  beforeAll(async () => {
    t = await createInitializedTestCore();
    fixtures = await Promise.all([createSoftHsmFixture(), createSoftHsmFixture()]);
    const setUp = await createClusterWithMembers(t, 'secrets-cluster', [softHsmMember(fixtures[0]!, 'zone-a'), softHsmMember(fixtures[1]!, 'zone-b')]);
    ({ keyStoreId } = await bringUpKeyStore(t, setUp, 'secrets-store'));
    clusterCmk = (await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyStoreId: keyStoreId })).KeyMetadata.KeyId;
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(fixtures.map((fixture) => fixture.cleanup()));
    removeDir(t.dataDir);
  });

  it('CreateSecret, PutSecretValue and GetSecretValue under a cluster CMK', async () => {
    await t.call('CreateSecret', { SecretName: 'cluster/db', SecretData: 'on the cluster', VersionId: 'c1', EncryptionKeyId: clusterCmk });
    await t.call('PutSecretValue', { SecretName: 'cluster/db', VersionId: 'c2', SecretData: 'still on the cluster' });
    expect(await value('cluster/db')).toBe('still on the cluster');
    expect(await value('cluster/db', 'c1')).toBe('on the cluster');
    expect((await t.call('DescribeSecret', { SecretName: 'cluster/db' })).EncryptionKeyId).toBe(clusterCmk);
    expect((await t.fail('ScheduleKeyDeletion', { KeyId: clusterCmk, PendingWindowInDays: 7 })).Code).toBe('Forbidden.KeyInUse');
  });

  it('UpdateSecret re-wraps from the cluster store to the default store and back', async () => {
    await t.call('CreateSecret', { SecretName: 'local/first', SecretData: 'default store', VersionId: 'd1' });
    const defaultCmk = (await t.call('DescribeKey', { KeyId: DEFAULT_SECRETS_KEY_ALIAS })).KeyMetadata.KeyId;

    await t.call('UpdateSecret', { SecretName: 'cluster/db', EncryptionKeyId: DEFAULT_SECRETS_KEY_ALIAS });
    expect((await t.call('DescribeSecret', { SecretName: 'cluster/db' })).EncryptionKeyId).toBe(defaultCmk);
    expect([await value('cluster/db', 'c1'), await value('cluster/db', 'c2')]).toEqual(['on the cluster', 'still on the cluster']);
    // The cluster CMK no longer protects it: disabling it changes nothing for the secret.
    await t.call('DisableKey', { KeyId: clusterCmk });
    expect(await value('cluster/db')).toBe('still on the cluster');
    await t.call('EnableKey', { KeyId: clusterCmk });

    await t.call('UpdateSecret', { SecretName: 'local/first', EncryptionKeyId: clusterCmk });
    await t.call('UpdateSecret', { SecretName: 'cluster/db', EncryptionKeyId: clusterCmk });
    expect([await value('local/first'), await value('cluster/db', 'c1')]).toEqual(['default store', 'on the cluster']);
    await t.call('DisableKey', { KeyId: defaultCmk });
    expect(await value('local/first')).toBe('default store');
    await t.call('EnableKey', { KeyId: defaultCmk });
  });

  it('reads on through the other member when one member is lost', async () => {
    expect((await killWorkersOf(fixtures[0]!)).length).toBeGreaterThan(0);
    expect(await value('cluster/db', 'c2')).toBe('still on the cluster');
    await t.call('PutSecretValue', { SecretName: 'cluster/db', VersionId: 'c3', SecretData: 'one member left' });
    expect(await value('cluster/db')).toBe('one member left');
    expect((await t.call('DescribeKeyStores', {})).KeyStores.find((store) => store.KeyStoreId === keyStoreId)?.ConnectionState).toBe('CONNECTED');
  });
});
