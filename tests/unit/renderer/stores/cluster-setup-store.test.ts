import { describe, expect, it } from 'vitest';
import type { ClusterSummary, HsmDescription, KeyStore, ModuleSummary, OperationResult } from '../../../../shared/contract';
import { KmsClientError } from '../../../../renderer/src/api/errors';
import { useClusterSetupStore } from '../../../../renderer/src/stores/cluster-setup';
import type { ClusterDetail } from '../../../../renderer/src/stores/clusters';
import { fakeHost, stub } from '../support/fake-host';

interface World {
  modules: Partial<ModuleSummary>[];
  cluster?: Partial<ClusterSummary> & { Hsms: HsmDescription[] };
  users: string[];
  keyStore?: Partial<KeyStore>;
}

const member = (zone: string) => stub<HsmDescription>({ HsmId: `hsm-${zone}`, Zone: zone });

/** A host whose state the test moves on between loads, as another officer or the CLI would. */
function setupHost(world: World) {
  return fakeHost({
    ListModules: () => ({ Modules: world.modules.map((module) => stub<ModuleSummary>(module)), Suggestions: [] }),
    DescribeCluster: (input) => {
      if (!world.cluster) throw new KmsClientError('NotFound.Cluster', `no cluster ${input.ClusterId}`);
      return stub<OperationResult<'DescribeCluster'>>({ Cluster: stub<ClusterDetail>({ ClusterId: input.ClusterId, KeyStoreId: world.keyStore?.KeyStoreId, ...world.cluster }) });
    },
    DescribeCryptoUsers: (input) => ({ ClusterId: input.ClusterId, Users: world.users.map((UserName) => ({ UserName, CreationDate: '', UpdateDate: '' })) }),
    DescribeKeyStores: () => ({ KeyStores: world.keyStore ? [stub<KeyStore>(world.keyStore)] : [] }),
  });
}

describe('the cluster set-up store', () => {
  it('derives the step to show from what the host reports, step after step', async () => {
    const world: World = { modules: [{ ModuleId: 'builtin', Builtin: true }], users: [] };
    const host = setupHost(world);
    const setup = useClusterSetupStore();
    await setup.load(null);
    // The built-in module cannot hold cluster members.
    expect(setup.step).toBe('module');
    world.modules.push({ ModuleId: 'vendor', Builtin: false });
    await setup.reload();
    expect(setup.step).toBe('cluster');
    expect(host.operations()).toEqual(['ListModules', 'ListModules']);

    world.cluster = { State: 'UNINITIALIZED', LabCluster: false, Hsms: [member('a')] };
    await setup.load('cluster-1');
    expect(setup.step).toBe('hsms');
    world.cluster.Hsms.push(member('b'));
    await setup.reload();
    expect(setup.step).toBe('initialize');
    world.cluster.State = 'INITIALIZED';
    await setup.reload();
    expect(setup.step).toBe('activate');
    // Crypto users are read only of an active cluster.
    expect(host.operations()).not.toContain('DescribeCryptoUsers');

    world.cluster.State = 'ACTIVE';
    await setup.reload();
    expect(setup.step).toBe('crypto-user');
    world.users.push('kmsuser');
    await setup.reload();
    expect(setup.step).toBe('key-store');
    world.keyStore = { KeyStoreId: 'ks-1', ConnectionState: 'DISCONNECTED', KeyCount: 0 };
    await setup.reload();
    expect(setup.keyStore?.KeyStoreId).toBe('ks-1');
    expect(setup.step).toBe('connect');
    world.keyStore.ConnectionState = 'CONNECTED';
    await setup.reload();
    expect(setup.step).toBe('first-key');
    world.keyStore.KeyCount = 1;
    world.cluster.State = 'DEGRADED';
    await setup.reload();
    expect(setup.step).toBe('done');
    expect(host.inputsOf('DescribeCryptoUsers').at(-1)).toEqual({ ClusterId: 'cluster-1' });
    expect(setup.loading).toBe(false);
  });

  it('keeps what it showed and ends loading when the cluster cannot be read', async () => {
    const world: World = { modules: [{ ModuleId: 'vendor', Builtin: false }], users: ['kmsuser'], cluster: { State: 'INITIALIZED', LabCluster: true, Hsms: [member('a')] } };
    setupHost(world);
    const setup = useClusterSetupStore();
    await setup.load('cluster-1');
    expect(setup.step).toBe('activate');
    delete world.cluster;
    await expect(setup.reload()).rejects.toMatchObject({ Code: 'NotFound.Cluster' });
    expect(setup.loading).toBe(false);
    expect(setup.step).toBe('activate');
  });

  it('drops an answer for a cluster the wizard no longer shows', async () => {
    let release: () => void = () => {};
    const slow = new Promise<void>((resolve) => (release = resolve));
    fakeHost({
      ListModules: () => ({ Modules: [stub<ModuleSummary>({ ModuleId: 'vendor', Builtin: false })], Suggestions: [] }),
      DescribeCluster: async (input) => {
        if (input.ClusterId === 'slow') await slow;
        return stub<OperationResult<'DescribeCluster'>>({ Cluster: stub<ClusterDetail>({ ClusterId: input.ClusterId, State: 'UNINITIALIZED', LabCluster: true, Hsms: [] }) });
      },
      DescribeKeyStores: () => ({ KeyStores: [] }),
    });
    const setup = useClusterSetupStore();
    const first = setup.load('slow');
    await setup.load('fast');
    release();
    await first;
    expect(setup.clusterId).toBe('fast');
    expect(setup.cluster?.ClusterId).toBe('fast');
  });
});
