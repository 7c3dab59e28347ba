import { describe, expect, it } from 'vitest';
import type { ClusterSummary, HsmDescription, MemberPasswordChange, OperationResult } from '../../../../shared/contract';
import { KmsClientError } from '../../../../renderer/src/api/errors';
import { useClustersStore } from '../../../../renderer/src/stores/clusters';
import { fakeHost, stub } from '../support/fake-host';

function clustersHost() {
  const clusters: ClusterSummary[] = [];
  return fakeHost({
    DescribeClusters: () => ({ Clusters: [...clusters] }),
    DescribeCluster: (input) => ({ Cluster: { ...stub<ClusterSummary>({ ClusterId: input.ClusterId, State: 'ACTIVE' }), Hsms: [stub<HsmDescription>({ HsmId: 'hsm-1' })] } }),
    CreateCluster: (input) => {
      if (clusters.some((cluster) => cluster.ClusterName === input.ClusterName)) throw new KmsClientError('AlreadyExists.Cluster', 'taken');
      clusters.push(stub<ClusterSummary>({ ClusterId: `cluster-${clusters.length + 1}`, ClusterName: input.ClusterName }));
      return stub<OperationResult<'CreateCluster'>>({ ClusterId: `cluster-${clusters.length}` });
    },
    CreateHsm: (input) => stub<OperationResult<'CreateHsm'>>({ HsmId: `hsm-${input.Zone}` }),
    DeleteHsm: (input) => stub<OperationResult<'DeleteHsm'>>({ HsmId: input.HsmId }),
    JoinHsm: (input) => stub<OperationResult<'JoinHsm'>>({ HsmId: input.HsmId }),
    InitializeCluster: () => stub<OperationResult<'InitializeCluster'>>({ ClusterOwnerCertificate: 'OWNER-PEM' }),
    ActivateCluster: (input) => stub<OperationResult<'ActivateCluster'>>({ ClusterId: input.ClusterId }),
    GetClusterCertificate: () => stub<OperationResult<'GetClusterCertificate'>>({ ClusterOwnerCertificate: 'OWNER-PEM' }),
    DescribeCryptoUsers: (input) => ({ ClusterId: input.ClusterId, Users: [{ UserName: 'kmsuser', CreationDate: 'c', UpdateDate: 'u' }] }),
    CreateCryptoUser: (input) => stub<OperationResult<'CreateCryptoUser'>>({ UserName: input.UserName }),
    ChangeCryptoUserPassword: () => stub<OperationResult<'ChangeCryptoUserPassword'>>({ Members: [stub<MemberPasswordChange>({ HsmId: 'hsm-1' }), stub<MemberPasswordChange>({ HsmId: 'hsm-2' })] }),
    SyncCluster: (input) => stub<OperationResult<'SyncCluster'>>({ ClusterId: input.ClusterId }),
  });
}

describe('the clusters store', () => {
  it('creates a cluster and lists it, leaving the list as it was when the host refuses', async () => {
    const host = clustersHost();
    const clusters = useClustersStore();
    expect(await clusters.create('prod', 'payments HSMs', false)).toBe('cluster-1');
    expect(host.inputsOf('CreateCluster')).toEqual([{ ClusterName: 'prod', Description: 'payments HSMs', AllowSingleHsm: false }]);
    expect(clusters.loaded).toBe(true);
    expect(clusters.clusters.map((cluster) => cluster.ClusterName)).toEqual(['prod']);

    await expect(clusters.create('prod', '', true)).rejects.toMatchObject({ Code: 'AlreadyExists.Cluster' });
    expect(clusters.clusters).toHaveLength(1);
    expect(host.operations()).toEqual(['CreateCluster', 'DescribeClusters', 'CreateCluster']);
  });

  it('sends the member and set-up operations with the inputs they take and answers what the host said', async () => {
    const host = clustersHost();
    const clusters = useClustersStore();
    expect(await clusters.addHsm({ ClusterId: 'cluster-1', ModuleId: 'mod-1', SlotId: 3, Zone: 'a' })).toBe('hsm-a');
    await clusters.removeHsm('hsm-a');
    await clusters.joinHsm('hsm-b', 'so-pin', 'kms-pass');
    expect(await clusters.initialize('cluster-1', 'so-pin')).toBe('OWNER-PEM');
    await clusters.activate('cluster-1');
    expect(await clusters.certificate('cluster-1')).toBe('OWNER-PEM');
    await clusters.createCryptoUser('cluster-1', 'kms-pass', 'so-pin');
    const members = await clusters.changeCryptoUserPassword('cluster-1', 'old-pass', 'new-pass');
    expect(members.map((member) => member.HsmId)).toEqual(['hsm-1', 'hsm-2']);
    expect((await clusters.describe('cluster-1')).Hsms.map((hsm) => hsm.HsmId)).toEqual(['hsm-1']);
    expect((await clusters.cryptoUsers('cluster-1')).map((user) => user.UserName)).toEqual(['kmsuser']);
    expect(host.calls.map((call) => [call.operation, call.input])).toEqual([
      ['CreateHsm', { ClusterId: 'cluster-1', ModuleId: 'mod-1', SlotId: 3, Zone: 'a' }],
      ['DeleteHsm', { HsmId: 'hsm-a' }],
      ['JoinHsm', { HsmId: 'hsm-b', SoPin: 'so-pin', KeyStorePassword: 'kms-pass' }],
      ['InitializeCluster', { ClusterId: 'cluster-1', SoPin: 'so-pin' }],
      ['ActivateCluster', { ClusterId: 'cluster-1' }],
      ['GetClusterCertificate', { ClusterId: 'cluster-1' }],
      ['CreateCryptoUser', { ClusterId: 'cluster-1', UserName: 'kmsuser', Password: 'kms-pass', SoPin: 'so-pin' }],
      ['ChangeCryptoUserPassword', { ClusterId: 'cluster-1', UserName: 'kmsuser', OldPassword: 'old-pass', NewPassword: 'new-pass' }],
      ['DescribeCluster', { ClusterId: 'cluster-1' }],
      ['DescribeCryptoUsers', { ClusterId: 'cluster-1' }],
    ]);
    expect(JSON.stringify(clusters.$state)).not.toMatch(/so-pin|kms-pass|new-pass/);
  });

  it('sends a password to SyncCluster only when one was given', async () => {
    const host = clustersHost();
    const clusters = useClustersStore();
    await clusters.sync('cluster-1');
    await clusters.sync('cluster-1', '');
    await clusters.sync('cluster-1', 'kms-pass');
    expect(host.inputsOf('SyncCluster')).toEqual([{ ClusterId: 'cluster-1' }, { ClusterId: 'cluster-1' }, { ClusterId: 'cluster-1', KeyStorePassword: 'kms-pass' }]);
  });
});
