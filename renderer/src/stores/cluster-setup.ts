import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { resumeStep, type SetupStepId } from '../lib/cluster-setup';
import { useClustersStore, type ClusterDetail, type CryptoUser } from './clusters';
import { useKeyStoresStore, type KeyStore } from './keystores';
import { useModulesStore } from './modules';

/**
 * The cluster set-up wizard's view of the host: the cluster, its crypto users and its key store,
 * read again after every step. The step to show is derived from them, so closing the window, a
 * second officer or the CLI never leave the wizard on a stale step. No secrets pass through here.
 */
export const useClusterSetupStore = defineStore('clusterSetup', () => {
  const clusterId = ref<string | null>(null);
  const cluster = ref<ClusterDetail | null>(null);
  const users = ref<CryptoUser[]>([]);
  const loading = ref(false);
  const modules = useModulesStore();
  const keyStores = useKeyStoresStore();
  const clusters = useClustersStore();

  const keyStore = computed<KeyStore | null>(() => {
    const id = cluster.value?.KeyStoreId;
    return id ? keyStores.byId(id) : null;
  });

  const step = computed<SetupStepId>(() =>
    resumeStep({
      moduleCount: modules.modules.filter((module) => !module.Builtin).length,
      cluster: cluster.value,
      hasKmsUser: users.value.some((user) => user.UserName === 'kmsuser'),
      keyStore: keyStore.value,
    }),
  );

  /** Reads everything the step depends on; `id` null means a cluster is still to be created. */
  async function load(id: string | null): Promise<void> {
    clusterId.value = id;
    loading.value = true;
    try {
      await modules.refresh();
      if (!id) {
        cluster.value = null;
        users.value = [];
        return;
      }
      const detail = await clusters.describe(id);
      const active = detail.State === 'ACTIVE' || detail.State === 'DEGRADED';
      const [userList] = await Promise.all([active ? clusters.cryptoUsers(id) : Promise.resolve([]), keyStores.refresh()]);
      if (clusterId.value !== id) return;
      cluster.value = detail;
      users.value = userList;
    } finally {
      loading.value = false;
    }
  }

  async function reload(): Promise<void> {
    await load(clusterId.value);
  }

  return { clusterId, cluster, users, keyStore, loading, step, load, reload };
});
