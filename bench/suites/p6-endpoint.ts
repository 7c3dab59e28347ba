/**
 * P6: Encrypt (AES-256-GCM, 1 KiB) and GetSecretValue through the application endpoint, from an
 * application process holding 16 keep-alive mutual-TLS connections (Keyward JSON, so the figure is
 * the endpoint's and not an SDK's), against the same operations called in-process through the
 * dispatcher with 16 in flight, in the same run. Throughput ratio and the endpoint calls' p99 latency.
 */
import { randomBytes } from 'node:crypto';
import { KEY_USER_PERMISSION, SECRET_USER_PERMISSION } from '../../shared/contract';
import { startBenchCore, type BenchCore } from '../lib/bench-core';
import type { EndpointApp } from '../lib/endpoint-app';
import { connectEndpointApp } from '../lib/endpoint-client';
import { endpointAgainstDispatcher, endpointRows, type EndpointCase } from '../lib/endpoint-rounds';
import type { Benchmark, BenchOptions, BenchResult } from '../lib/result';

const CLIENTS = 16;
const THROUGHPUT_GOAL = 0.6;
const P99_GOAL_MS = 20;
const SECRET_NAME = 'bench/p6/db-password';

interface Case extends EndpointCase {
  label: string;
}

export const p6Endpoint: Benchmark = {
  id: 'P6',
  title: `application endpoint (${CLIENTS} keep-alive mTLS clients, Keyward JSON) vs the dispatcher`,
  async run(options) {
    const bench = await startBenchCore();
    let app: EndpointApp | null = null;
    try {
      const { cases, resources } = await prepare(bench);
      app = await connectEndpointApp(bench, { name: 'bench-p6', lanes: CLIENTS, permissions: [KEY_USER_PERMISSION, SECRET_USER_PERMISSION], resources });
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

/** A CMK and a secret under it, and the two cases on them (the policy grants exactly these two). */
async function prepare(bench: BenchCore): Promise<{ cases: Case[]; resources: string[] }> {
  const cmk = (await bench.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyUsage: 'ENCRYPT/DECRYPT', Description: 'P6' })).KeyMetadata;
  await bench.call('CreateSecret', { SecretName: SECRET_NAME, SecretData: randomBytes(24).toString('base64url'), EncryptionKeyId: cmk.KeyId, VersionId: 'v1' });
  const keywardCase = (label: string, operation: string, input: Record<string, string>): Case => ({ label, lanes: CLIENTS, path: `/v1/${operation}`, body: JSON.stringify(input), operation, input });
  return {
    cases: [
      keywardCase('Encrypt AES-256-GCM 1 KiB', 'Encrypt', { KeyId: cmk.KeyId, Plaintext: randomBytes(1024).toString('base64') }),
      keywardCase('GetSecretValue', 'GetSecretValue', { SecretName: SECRET_NAME }),
    ],
    resources: [`key/${cmk.KeyId}`, `secret/${SECRET_NAME}`],
  };
}

async function measure(options: BenchOptions, bench: BenchCore, app: EndpointApp, item: Case): Promise<BenchResult[]> {
  const comparison = await endpointAgainstDispatcher(options, bench, app, item);
  const spec = { name: `P6 ${item.label}`, setting: `endpoint, ${CLIENTS} mTLS clients`, lanes: CLIENTS, throughputGoal: THROUGHPUT_GOAL, p99GoalMs: P99_GOAL_MS };
  return endpointRows(options, spec, comparison);
}
