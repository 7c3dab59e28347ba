import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { ClusterSummary, HsmDescription, MemberPasswordChange, OperationResult } from '../../../shared/contract';
import { invoke } from '../api/client';

export type { ClusterSummary, HsmDescription, MemberPasswordChange } from '../../../shared/contract';
export type ClusterDetail = ClusterSummary & { Hsms: HsmDescription[] };
export type SyncReport = OperationResult<'SyncCluster'>;
export type JoinReport = OperationResult<'JoinHsm'>;
export interface CryptoUser {
  UserName: string;
  CreationDate: string;
  UpdateDate: string;
}

export interface NewHsm {
  ClusterId: string;
  ModuleId: string;
  TokenSerial?: string;
  SlotId?: number;
  Zone: string;
}

/**
 * HSM clusters and their members. SO PINs and crypto user passwords are arguments of the actions
 * that need them and go straight into the call: nothing here keeps them.
 */
export const useClustersStore = defineStore('clusters', () => {
  const clusters = ref<ClusterSummary[]>([]);
  const loaded = ref(false);

  async function refresh(): Promise<void> {
    clusters.value = (await invoke('DescribeClusters', {})).Clusters;
    loaded.value = true;
  }

  async function describe(clusterId: string): Promise<ClusterDetail> {
    return (await invoke('DescribeCluster', { ClusterId: clusterId })).Cluster;
  }

  async function cryptoUsers(clusterId: string): Promise<CryptoUser[]> {
    return (await invoke('DescribeCryptoUsers', { ClusterId: clusterId })).Users;
  }

  async function create(name: string, description: string, allowSingleHsm: boolean): Promise<string> {
    const { ClusterId } = await invoke('CreateCluster', { ClusterName: name, Description: description, AllowSingleHsm: allowSingleHsm });
    await refresh();
    return ClusterId;
  }

  async function addHsm(hsm: NewHsm): Promise<string> {
    return (await invoke('CreateHsm', hsm)).HsmId;
  }

  async function removeHsm(hsmId: string): Promise<void> {
    await invoke('DeleteHsm', { HsmId: hsmId });
  }

  /** Brings an HSM added to an initialized cluster in; the SO PIN and kmsuser password go straight into the call. */
  async function joinHsm(hsmId: string, soPin: string, password: string): Promise<JoinReport> {
    return invoke('JoinHsm', { HsmId: hsmId, SoPin: soPin, KeyStorePassword: password });
  }

  /** Returns the ClusterOwnerCertificate the initialization created. */
  async function initialize(clusterId: string, soPin: string): Promise<string> {
    return (await invoke('InitializeCluster', { ClusterId: clusterId, SoPin: soPin })).ClusterOwnerCertificate;
  }

  async function activate(clusterId: string): Promise<void> {
    await invoke('ActivateCluster', { ClusterId: clusterId });
  }

  async function certificate(clusterId: string): Promise<string> {
    return (await invoke('GetClusterCertificate', { ClusterId: clusterId })).ClusterOwnerCertificate;
  }

  async function createCryptoUser(clusterId: string, password: string, soPin: string): Promise<void> {
    await invoke('CreateCryptoUser', { ClusterId: clusterId, UserName: 'kmsuser', Password: password, SoPin: soPin });
  }

  /** Changes kmsuser's password on every member; resolves to what happened on each. */
  async function changeCryptoUserPassword(clusterId: string, oldPassword: string, newPassword: string): Promise<MemberPasswordChange[]> {
    const { Members } = await invoke('ChangeCryptoUserPassword', { ClusterId: clusterId, UserName: 'kmsuser', OldPassword: oldPassword, NewPassword: newPassword });
    return Members;
  }

  /** `password` logs kmsuser in again on members that came back; Keyward keeps none. */
  async function sync(clusterId: string, password?: string): Promise<SyncReport> {
    return invoke('SyncCluster', { ClusterId: clusterId, ...(password ? { KeyStorePassword: password } : {}) });
  }

  return { clusters, loaded, refresh, describe, cryptoUsers, create, addHsm, removeHsm, joinHsm, initialize, activate, certificate, createCryptoUser, changeCryptoUserPassword, sync };
});
