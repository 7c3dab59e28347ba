import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { AccessPoint, AccessPolicy, ClientKeySummary, NetworkRule, OperationInput } from '../../../shared/contract';
import { invoke } from '../api/client';

export type { AccessPoint, AccessPolicy, ClientKeySummary, NetworkRule } from '../../../shared/contract';
export type NetworkRuleRequest = OperationInput<'CreateNetworkRule'>;
export type PolicyRequest = OperationInput<'CreatePolicy'>;
export type AccessPointRequest = OperationInput<'CreateApplicationAccessPoint'>;

/** The List operations' largest page. */
const PAGE_SIZE = 100;

/** Every page of a paged list: rules, policies and access points are tens, not thousands. */
async function listAll<Row>(fetchPage: (page: number) => Promise<{ rows: Row[]; total: number }>): Promise<Row[]> {
  const rows: Row[] = [];
  for (let page = 1; ; page++) {
    const result = await fetchPage(page);
    rows.push(...result.rows);
    if (result.rows.length === 0 || rows.length >= result.total) return rows;
  }
}

/**
 * Network rules, policies and application access points, with the client keys of each access point
 * (certificates only: the console never sees a client key's secret again after issuing it).
 * A change reloads the three lists, since each names the others (a rule's policies, a policy's
 * access points).
 */
export const useAccessPointsStore = defineStore('accessPoints', () => {
  const networkRules = ref<NetworkRule[]>([]);
  const policies = ref<AccessPolicy[]>([]);
  const accessPoints = ref<AccessPoint[]>([]);
  const clientKeys = ref<Record<string, ClientKeySummary[]>>({});
  const loaded = ref(false);

  async function reload(): Promise<void> {
    const [rules, policyList, points] = await Promise.all([
      listAll(async (page) => {
        const output = await invoke('ListNetworkRules', { PageNumber: page, PageSize: PAGE_SIZE });
        return { rows: output.NetworkRules, total: output.TotalCount };
      }),
      listAll(async (page) => {
        const output = await invoke('ListPolicies', { PageNumber: page, PageSize: PAGE_SIZE });
        return { rows: output.Policies, total: output.TotalCount };
      }),
      listAll(async (page) => {
        const output = await invoke('ListApplicationAccessPoints', { PageNumber: page, PageSize: PAGE_SIZE });
        return { rows: output.ApplicationAccessPoints, total: output.TotalCount };
      }),
    ]);
    networkRules.value = rules;
    policies.value = policyList;
    accessPoints.value = points;
    loaded.value = true;
  }

  async function loadClientKeys(aapName: string): Promise<void> {
    const output = await invoke('ListClientKeys', { AapName: aapName });
    clientKeys.value = { ...clientKeys.value, [aapName]: output.ClientKeys };
  }

  /** Each change reloads the lists: each names the others. */
  async function thenReload(change: Promise<unknown>): Promise<void> {
    await change;
    await reload();
  }

  function saveNetworkRule(request: NetworkRuleRequest, existing: boolean): Promise<void> {
    const { Name, SourcePrivateIp, Description } = request;
    return thenReload(existing ? invoke('UpdateNetworkRule', { Name, SourcePrivateIp, Description }) : invoke('CreateNetworkRule', request));
  }

  function savePolicy(request: PolicyRequest, existing: boolean): Promise<void> {
    return thenReload(existing ? invoke('UpdatePolicy', request) : invoke('CreatePolicy', request));
  }

  function saveAccessPoint(request: AccessPointRequest, existing: boolean): Promise<void> {
    const { Name, Policies, Description } = request;
    return thenReload(existing ? invoke('UpdateApplicationAccessPoint', { Name, Policies, Description }) : invoke('CreateApplicationAccessPoint', request));
  }

  const deleteNetworkRule = (name: string): Promise<void> => thenReload(invoke('DeleteNetworkRule', { Name: name }));
  const deletePolicy = (name: string): Promise<void> => thenReload(invoke('DeletePolicy', { Name: name }));

  /** Resolves with how many client keys the deletion revoked. */
  async function deleteAccessPoint(name: string): Promise<number> {
    const output = await invoke('DeleteApplicationAccessPoint', { Name: name });
    const { [name]: _revoked, ...others } = clientKeys.value;
    clientKeys.value = others;
    await reload();
    return output.RevokedClientKeys;
  }

  async function revokeClientKey(key: ClientKeySummary): Promise<void> {
    await invoke('DeleteClientKey', { ClientKeyId: key.ClientKeyId });
    await Promise.all([loadClientKeys(key.AapName), reload()]);
  }

  return {
    networkRules,
    policies,
    accessPoints,
    clientKeys,
    loaded,
    reload,
    loadClientKeys,
    saveNetworkRule,
    deleteNetworkRule,
    savePolicy,
    deletePolicy,
    saveAccessPoint,
    deleteAccessPoint,
    revokeClientKey,
  };
});
