import type { OperationHandlers } from '../handlers-type';
import type { ServiceSet } from '../service-set';

type AccessOperation =
  | 'CreateNetworkRule' | 'UpdateNetworkRule' | 'DeleteNetworkRule' | 'ListNetworkRules' | 'DescribeNetworkRule'
  | 'CreatePolicy' | 'UpdatePolicy' | 'DeletePolicy' | 'ListPolicies' | 'DescribePolicy'
  | 'CreateApplicationAccessPoint' | 'UpdateApplicationAccessPoint' | 'DeleteApplicationAccessPoint' | 'ListApplicationAccessPoints' | 'DescribeApplicationAccessPoint'
  | 'CreateClientKey' | 'ListClientKeys' | 'DeleteClientKey' | 'GetInstanceCaCertificate';

/** The access point operations' handlers (rules, policies, access points, client keys, instance CA). */
export function bindAccessHandlers(services: ServiceSet): Pick<OperationHandlers, AccessOperation> {
  const { networkRules, policies, accessPoints } = services;
  return {
    CreateNetworkRule: async (input, request) => networkRules.create(input, request),
    UpdateNetworkRule: async (input, request) => networkRules.update(input, request),
    DeleteNetworkRule: async (input, request) => networkRules.delete(input, request),
    ListNetworkRules: async (input) => networkRules.list(input),
    DescribeNetworkRule: async (input) => networkRules.describe(input),
    CreatePolicy: async (input, request) => policies.create(input, request),
    UpdatePolicy: async (input, request) => policies.update(input, request),
    DeletePolicy: async (input, request) => policies.delete(input, request),
    ListPolicies: async (input) => policies.list(input),
    DescribePolicy: async (input) => policies.describe(input),
    CreateApplicationAccessPoint: async (input, request) => accessPoints.create(input, request),
    UpdateApplicationAccessPoint: async (input, request) => accessPoints.update(input, request),
    DeleteApplicationAccessPoint: async (input, request) => accessPoints.delete(input, request),
    ListApplicationAccessPoints: async (input) => accessPoints.list(input),
    DescribeApplicationAccessPoint: async (input) => accessPoints.describe(input),
    CreateClientKey: (input, request) => services.clientKeys.create(input, request),
    ListClientKeys: async (input) => services.clientKeys.list(input),
    DeleteClientKey: async (input, request) => services.clientKeys.delete(input, request),
    GetInstanceCaCertificate: async (_input, request) => {
      const ca = await services.instanceCa.certificate(request);
      return { CaCertificate: ca.pem, Sha256: ca.sha256, NotAfter: ca.notAfter };
    },
  };
}
