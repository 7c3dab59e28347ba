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
  // Warm both paths: worker sessions, handle caches, JIT, and every lane's keep-alive connection
  // (a new one costs the application its PKCS#12 decoding, 100,000 PBKDF2 iterations, and a handshake).
  for (let warmup = 0; warmup < 10; warmup += 1) {
    if ((await app.round(path, body, 300)).connectionsOpened === 0) break;
  }
  await timedLanes(300, CLIENTS, dispatch);
  const endpoint = new Samples();
  const dispatcher = new Samples();
  let reconnections = 0;
  // Alternating (endpoint, dispatcher, ...) so drift in machine load hits both alike.
  for (let r = 0; r < rounds; r += 1) {
    const endpointCpu = process.cpuUsage();
    const overEndpoint = await app.round(path, body, roundMs);
    endpoint.add(overEndpoint, process.cpuUsage(endpointCpu), overEndpoint.cpuMs);
    reconnections += overEndpoint.connectionsOpened;
    const dispatcherCpu = process.cpuUsage();
    const inProcess = await timedLanes(roundMs, CLIENTS, dispatch);
    dispatcher.add(inProcess, process.cpuUsage(dispatcherCpu), 0);
  }
  const ops = { endpoint: median(endpoint.ops), dispatcher: median(dispatcher.ops) };
  const p99 = { endpoint: median(endpoint.p99), dispatcher: median(dispatcher.p99) };
  const ratio = ops.endpoint / ops.dispatcher;
  options.log(
    `${item.label}: endpoint ${ops.endpoint.toFixed(0)} ops/s (p99 ${p99.endpoint.toFixed(1)} ms), dispatcher ${ops.dispatcher.toFixed(0)} ops/s (p99 ${p99.dispatcher.toFixed(1)} ms), ratio ${ratio.toFixed(3)}`,
  );
  // Where the time goes: CPU per call in this (Keyward's) process, and in the application's.
  options.log(
    `  CPU per call: Keyward process ${median(endpoint.mainCpuUs).toFixed(0)} µs over the endpoint, ${median(dispatcher.mainCpuUs).toFixed(0)} µs through the dispatcher; application process ${median(endpoint.appCpuUs).toFixed(0)} µs; ${reconnections} new TLS connections after the warm-up`,
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

/** Per-round figures of one path: throughput, p99 latency, CPU microseconds per call. */
class Samples {
  readonly ops: number[] = [];
  readonly p99: number[] = [];
  readonly mainCpuUs: number[] = [];
  readonly appCpuUs: number[] = [];

  add(measured: { opsPerSecond: number; latenciesMs: number[] }, mainCpu: NodeJS.CpuUsage, appCpuMs: number): void {
    const calls = Math.max(1, measured.latenciesMs.length);
    this.ops.push(measured.opsPerSecond);
    this.p99.push(percentile(measured.latenciesMs, 99));
    this.mainCpuUs.push((mainCpu.user + mainCpu.system) / calls);
    this.appCpuUs.push((appCpuMs * 1000) / calls);
  }
}
