/**
 * P6: Encrypt (AES-256-GCM, 1 KiB) and GetSecretValue through the application endpoint, from an
 * application process holding 16 keep-alive mutual-TLS connections (Keyward JSON, so the figure is
 * the endpoint's and not an SDK's), against the same operations called in-process through the
 * dispatcher with 16 in flight, in the same run. Throughput ratio and the endpoint calls' p99 latency.
 */
import { randomBytes } from 'node:crypto';
import { KEY_USER_PERMISSION, SECRET_USER_PERMISSION } from '../../shared/contract';
import { startBenchCore, type BenchCore } from '../lib/bench-core';
import { startEndpointApp, type EndpointApp } from '../lib/endpoint-app';
import { type Benchmark, type BenchOptions, type BenchResult, round } from '../lib/result';
import { median, percentile, timedLanes } from '../lib/stats';

const CLIENTS = 16;
const THROUGHPUT_GOAL = 0.6;
const P99_GOAL_MS = 20;
const CLIENT_PASSWORD = 'Bench-client-key-8';
const SECRET_NAME = 'bench/p6/db-password';

interface Case {
  label: string;
  operation: 'Encrypt' | 'GetSecretValue';
  input: Record<string, string>;
}

export const p6Endpoint: Benchmark = {
  id: 'P6',
  title: `application endpoint (${CLIENTS} keep-alive mTLS clients, Keyward JSON) vs the dispatcher`,
  async run(options) {
    const bench = await startBenchCore();
    let app: EndpointApp | null = null;
    try {
      const cases = await prepare(bench);
      const clientKey = await bench.call('CreateClientKey', { AapName: 'bench-p6', Password: CLIENT_PASSWORD });
      const endpoint = await bench.call('StartApplicationEndpoint', { Address: '127.0.0.1', Port: 0 });
      app = await startEndpointApp({ port: endpoint.Port, lanes: CLIENTS, pkcs12Base64: clientKey.PrivateKeyData, passphrase: CLIENT_PASSWORD, caCertificate: clientKey.CaCertificate });
      const results: BenchResult[] = [];
      for (const item of cases) results.push(...(await measure(options, bench, app, item)));
      return results;
    } finally {
      await app?.close();
      // Closing the core stops the endpoint first.
      await bench.close();
    }
  },
};

/** A CMK and a secret under it; a network rule for 127.0.0.1; a policy on exactly those two; an access point. */
async function prepare(bench: BenchCore): Promise<Case[]> {
  const cmk = (await bench.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyUsage: 'ENCRYPT/DECRYPT', Description: 'P6' })).KeyMetadata;
  await bench.call('CreateSecret', { SecretName: SECRET_NAME, SecretData: randomBytes(24).toString('base64url'), EncryptionKeyId: cmk.KeyId, VersionId: 'v1' });
  await bench.call('CreateNetworkRule', { Name: 'bench-p6-loopback', SourcePrivateIp: ['127.0.0.1'] });
  await bench.call('CreatePolicy', {
    Name: 'bench-p6',
    Permissions: [KEY_USER_PERMISSION, SECRET_USER_PERMISSION],
    Resources: [`key/${cmk.KeyId}`, `secret/${SECRET_NAME}`],
    AccessControlRules: { NetworkRules: ['bench-p6-loopback'] },
  });
  await bench.call('CreateApplicationAccessPoint', { Name: 'bench-p6', Policies: ['bench-p6'] });
  return [
    { label: 'Encrypt AES-256-GCM 1 KiB', operation: 'Encrypt', input: { KeyId: cmk.KeyId, Plaintext: randomBytes(1024).toString('base64') } },
    { label: 'GetSecretValue', operation: 'GetSecretValue', input: { SecretName: SECRET_NAME } },
  ];
}

async function measure(options: BenchOptions, bench: BenchCore, app: EndpointApp, item: Case): Promise<BenchResult[]> {
  const roundMs = options.quick ? 500 : 1500;
  const rounds = options.quick ? 3 : 7;
  const path = `/v1/${item.operation}`;
  const body = JSON.stringify(item.input);
  const dispatch = async (): Promise<void> => {
    const outcome = await bench.core.dispatch(item.operation, item.input, { transport: 'internal' });
    if (!outcome.ok) throw new Error(`${item.operation}: ${outcome.error.Code} ${outcome.error.Message}`);
  };
  // Warm both paths: TLS sessions and keep-alive sockets, worker sessions, handle caches, JIT.
  await app.round(path, body, 300);
  await timedLanes(300, CLIENTS, dispatch);
  const endpoint = { ops: [] as number[], p99: [] as number[] };
  const dispatcher = { ops: [] as number[], p99: [] as number[] };
  // Alternating (endpoint, dispatcher, ...) so drift in machine load hits both alike.
  for (let r = 0; r < rounds; r += 1) {
    const overEndpoint = await app.round(path, body, roundMs);
    endpoint.ops.push(overEndpoint.opsPerSecond);
    endpoint.p99.push(percentile(overEndpoint.latenciesMs, 99));
    const inProcess = await timedLanes(roundMs, CLIENTS, dispatch);
    dispatcher.ops.push(inProcess.opsPerSecond);
    dispatcher.p99.push(percentile(inProcess.latenciesMs, 99));
  }
  const ops = { endpoint: median(endpoint.ops), dispatcher: median(dispatcher.ops) };
  const p99 = { endpoint: median(endpoint.p99), dispatcher: median(dispatcher.p99) };
  const ratio = ops.endpoint / ops.dispatcher;
  options.log(
    `${item.label}: endpoint ${ops.endpoint.toFixed(0)} ops/s (p99 ${p99.endpoint.toFixed(1)} ms), dispatcher ${ops.dispatcher.toFixed(0)} ops/s (p99 ${p99.dispatcher.toFixed(1)} ms), ratio ${ratio.toFixed(3)}`,
  );
  return [
    {
      name: `P6 ${item.label} (endpoint, ${CLIENTS} mTLS clients)`,
      keyward: round(ops.endpoint, 0),
      baseline: round(ops.dispatcher, 0),
      unit: 'ops/s',
      ratio: round(ratio),
      goal: `>= ${THROUGHPUT_GOAL} of the dispatcher`,
      met: ratio >= THROUGHPUT_GOAL,
      note: `baseline: the dispatcher in-process, ${CLIENTS} in flight`,
    },
    {
      name: `P6 ${item.label} p99 latency (endpoint, ${CLIENTS} mTLS clients)`,
      keyward: round(p99.endpoint, 2),
      baseline: round(p99.dispatcher, 2),
      unit: 'ms',
      ratio: round(p99.dispatcher / p99.endpoint),
      goal: `< ${P99_GOAL_MS} ms`,
      met: p99.endpoint < P99_GOAL_MS,
      note: `median of the rounds' p99; baseline: the dispatcher's p99 at ${CLIENTS} in flight`,
    },
  ];
}
