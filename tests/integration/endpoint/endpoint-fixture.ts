/**
 * Real application clients for the endpoint tests: HTTPS agents holding a client key's PKCS#12
 * (as Node loads it, with its password), the unmodified AWS SDK clients, and raw requests.
 */
import { Agent, request as httpsRequest, type AgentOptions } from 'node:https';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { KEY_USER_PERMISSION, SECRET_USER_PERMISSION, type OperationOutput } from '../../../shared/contract';
import type { TestCore } from '../../support/test-core';

export const CLIENT_PASSWORD = 'ClientPw-Canary42';

export type ClientKey = OperationOutput<'CreateClientKey'>;

export interface AccessSetup {
  rule?: string[];
  resources?: string[];
  permissions?: string[];
  notBefore?: string;
  notAfter?: string;
}

let counter = 0;

/** A network rule, a policy and an access point with one client key; names are unique per call. */
export async function createAccess(t: TestCore, setup: AccessSetup = {}): Promise<{ aapName: string; policyName: string; clientKey: ClientKey }> {
  counter += 1;
  const suffix = `${process.pid}-${counter}`;
  const ruleName = `rule-${suffix}`;
  const policyName = `policy-${suffix}`;
  const aapName = `aap-${suffix}`;
  await t.call('CreateNetworkRule', { Name: ruleName, Type: 'Private', SourcePrivateIp: setup.rule ?? ['127.0.0.1'], Description: '' } as never);
  await t.call('CreatePolicy', {
    Name: policyName,
    Permissions: setup.permissions ?? [KEY_USER_PERMISSION, SECRET_USER_PERMISSION],
    Resources: setup.resources ?? ['key/*', 'secret/*'],
    AccessControlRules: { NetworkRules: [ruleName] },
    Description: '',
  } as never);
  await t.call('CreateApplicationAccessPoint', { Name: aapName, AuthenticationMethod: 'ClientKey', Policies: [policyName], Description: '' } as never);
  const clientKey = await t.call('CreateClientKey', { AapName: aapName, Password: CLIENT_PASSWORD, NotBefore: setup.notBefore, NotAfter: setup.notAfter } as never);
  return { aapName, policyName, clientKey };
}

/** An HTTPS agent presenting the client key (PKCS#12 + password) and trusting only the instance CA. */
export function agentFor(clientKey: ClientKey, options: AgentOptions = {}): Agent {
  return new Agent({ pfx: Buffer.from(clientKey.PrivateKeyData, 'base64'), passphrase: CLIENT_PASSWORD, ca: clientKey.CaCertificate, keepAlive: true, maxSockets: 1, ...options });
}

export function kmsClient(port: number, clientKey: ClientKey, agent = agentFor(clientKey), secret = clientKey.AccessKeySecret): KMSClient {
  return new KMSClient({
    endpoint: `https://127.0.0.1:${port}`,
    region: 'keyward',
    credentials: { accessKeyId: clientKey.ClientKeyId, secretAccessKey: secret },
    requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
    maxAttempts: 1,
  });
}

export function secretsClient(port: number, clientKey: ClientKey, agent = agentFor(clientKey)): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint: `https://127.0.0.1:${port}`,
    region: 'keyward',
    credentials: { accessKeyId: clientKey.ClientKeyId, secretAccessKey: clientKey.AccessKeySecret },
    requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
    maxAttempts: 1,
  });
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The client side of the connection: equal ports mean the same keep-alive connection. */
  localPort: number;
}

/** A plain HTTPS request over `agent` (Keyward JSON, or anything malformed). */
export function post(port: number, agent: Agent, path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'Content-Type': 'application/json', ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        const localPort = response.socket.localPort ?? 0;
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8'), localPort }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The application-call audit records of a client key (group commit: polled until `count` are written). */
export async function applicationCalls(t: TestCore, actor: string, count: number): Promise<OperationOutput<'ListAuditEvents'>['Events']> {
  for (let attempt = 0; ; attempt += 1) {
    const { Events } = await t.call('ListAuditEvents', { PageSize: 100, Filters: [{ Key: 'Actor', Values: [actor] }] } as never);
    const calls = Events.filter((event) => event.Transport === 'endpoint' && event.Details.ApplicationCall === true);
    if (calls.length >= count || attempt > 40) return calls;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
