import { describe, expect, it } from 'vitest';
import type { OperationInput } from '../../../../shared/contract';
import { useAccessPointsStore, type AccessPoint, type AccessPolicy, type ClientKeySummary, type NetworkRule } from '../../../../renderer/src/stores/access-points';
import { fakeHost, pageOf, stub } from '../support/fake-host';

/** A paged list of `count` rows. */
function pages<Row>(count: number, row: (index: number) => Row) {
  return (input: OperationInput<'ListNetworkRules'>) => pageOf(input, count, row);
}

function accessHost(counts = { rules: 1, policies: 1, points: 1 }) {
  const rules = pages(counts.rules, (i) => stub<NetworkRule>({ Name: `rule-${i}` }));
  const policies = pages(counts.policies, (i) => stub<AccessPolicy>({ Name: `policy-${i}` }));
  const points = pages(counts.points, (i) => stub<AccessPoint>({ Name: `aap-${i}` }));
  const clientKey = (id: string) => stub<ClientKeySummary>({ ClientKeyId: id, AapName: 'aap-0' });
  let clientKeys = [clientKey('ck-1'), clientKey('ck-2')];
  return fakeHost({
    ListNetworkRules: (input) => {
      const { rows, ...page } = rules(input);
      return { NetworkRules: rows, ...page };
    },
    ListPolicies: (input) => {
      const { rows, ...page } = policies(input);
      return { Policies: rows, ...page };
    },
    ListApplicationAccessPoints: (input) => {
      const { rows, ...page } = points(input);
      return { ApplicationAccessPoints: rows, ...page };
    },
    ListClientKeys: () => ({ ClientKeys: clientKeys }),
    UpdateNetworkRule: (input) => stub<NetworkRule>({ Name: input.Name }),
    CreateNetworkRule: (input) => stub<NetworkRule>({ Name: input.Name }),
    DeleteApplicationAccessPoint: () => ({ RevokedClientKeys: 2 }),
    DeleteClientKey: (input) => {
      clientKeys = clientKeys.filter((key) => key.ClientKeyId !== input.ClientKeyId);
      return {};
    },
  });
}

const LIST_OPERATIONS = ['ListNetworkRules', 'ListPolicies', 'ListApplicationAccessPoints'];

describe('the access points store', () => {
  it('reads every page of rules, policies and access points', async () => {
    const host = accessHost({ rules: 230, policies: 100, points: 0 });
    const store = useAccessPointsStore();
    await store.reload();
    expect(store.networkRules.map((rule) => rule.Name)).toHaveLength(230);
    expect(store.networkRules.at(-1)?.Name).toBe('rule-229');
    expect(store.policies).toHaveLength(100);
    expect(store.accessPoints).toEqual([]);
    expect(store.loaded).toBe(true);
    expect(host.inputsOf('ListNetworkRules')).toEqual([1, 2, 3].map((page) => ({ PageNumber: page, PageSize: 100 })));
    // Exactly one full page: no empty page 2 is asked for.
    expect(host.inputsOf('ListPolicies')).toHaveLength(1);
    expect(host.inputsOf('ListApplicationAccessPoints')).toHaveLength(1);
  });

  it('sends an existing rule as UpdateNetworkRule with the fields it takes, a new one as CreateNetworkRule, and reloads after each', async () => {
    const host = accessHost();
    const store = useAccessPointsStore();
    const rule: OperationInput<'CreateNetworkRule'> = { Name: 'office', Type: 'Private', SourcePrivateIp: ['10.0.0.0/8'], Description: 'HQ' };
    await store.saveNetworkRule(rule, true);
    await store.saveNetworkRule(rule, false);
    expect(host.operations().filter((operation) => !LIST_OPERATIONS.includes(operation))).toEqual(['UpdateNetworkRule', 'CreateNetworkRule']);
    expect(host.inputsOf('UpdateNetworkRule')).toEqual([{ Name: 'office', SourcePrivateIp: ['10.0.0.0/8'], Description: 'HQ' }]);
    expect(host.inputsOf('CreateNetworkRule')).toEqual([rule]);
    expect(host.inputsOf('ListNetworkRules')).toHaveLength(2);
  });

  it('forgets the client keys of a deleted access point and says how many were revoked', async () => {
    const host = accessHost();
    const store = useAccessPointsStore();
    await store.loadClientKeys('aap-0');
    await store.loadClientKeys('aap-1');
    expect(Object.keys(store.clientKeys)).toEqual(['aap-0', 'aap-1']);
    expect(await store.deleteAccessPoint('aap-0')).toBe(2);
    expect(Object.keys(store.clientKeys)).toEqual(['aap-1']);
    expect(host.operations()).toContain('ListApplicationAccessPoints');
  });

  it('re-reads the access point\'s client keys after revoking one', async () => {
    accessHost();
    const store = useAccessPointsStore();
    await store.loadClientKeys('aap-0');
    const [first] = store.clientKeys['aap-0'] ?? [];
    if (!first) throw new Error('no client key loaded');
    await store.revokeClientKey(first);
    expect(store.clientKeys['aap-0']?.map((key) => key.ClientKeyId)).toEqual(['ck-2']);
  });
});
