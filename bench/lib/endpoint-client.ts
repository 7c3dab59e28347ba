/**
 * The application side of the endpoint benchmarks: a loopback network rule, a policy and an access
 * point with one client key, the endpoint started on a free port, and the application process
 * (endpoint-app.ts) connected to it over `lanes` keep-alive mutual-TLS connections.
 */
import type { Permission } from '../../shared/contract';
import type { BenchCore } from './bench-core';
import { startEndpointApp, type EndpointApp, type SigV4Signing } from './endpoint-app';

const CLIENT_PASSWORD = 'Bench-client-key-8';

export interface EndpointClientSetup {
  /** Names the rule, the policy and the access point. */
  name: string;
  lanes: number;
  permissions: Permission[];
  resources: string[];
  /** When given, the application signs every request with it (as AWS KMS signs XKS calls). */
  sigv4?: SigV4Signing;
}

export async function connectEndpointApp(bench: BenchCore, setup: EndpointClientSetup): Promise<EndpointApp> {
  const ruleName = `${setup.name}-loopback`;
  await bench.call('CreateNetworkRule', { Name: ruleName, SourcePrivateIp: ['127.0.0.1'] });
  await bench.call('CreatePolicy', { Name: setup.name, Permissions: setup.permissions, Resources: setup.resources, AccessControlRules: { NetworkRules: [ruleName] } });
  await bench.call('CreateApplicationAccessPoint', { Name: setup.name, Policies: [setup.name] });
  const clientKey = await bench.call('CreateClientKey', { AapName: setup.name, Password: CLIENT_PASSWORD });
  const endpoint = await bench.call('StartApplicationEndpoint', { Address: '127.0.0.1', Port: 0 });
  return startEndpointApp({
    port: endpoint.Port,
    lanes: setup.lanes,
    pkcs12Base64: clientKey.PrivateKeyData,
    passphrase: CLIENT_PASSWORD,
    caCertificate: clientKey.CaCertificate,
    ...(setup.sigv4 ? { sigv4: setup.sigv4 } : {}),
  });
}
