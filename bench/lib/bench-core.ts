/** A real Keyward core on a throw-away data directory, with its default key store initialized. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/main/app/core';
import type { Core } from '../../electron/main/app/core-types';
import { createNodeWorkerLauncher } from '../../electron/main/hsm/node-launcher';
import type { WorkerLauncher } from '../../electron/main/hsm/worker-launcher';
import type { OperationInput, OperationName, OperationOutput } from '../../shared/contract';

export const BENCH_PASSWORD = 'Bench7Passw0rd';

export interface BenchCore {
  core: Core;
  dataDir: string;
  serial: string;
  call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>>;
  close(): Promise<void>;
}

/** `launcher`: a profiling run passes one whose workers start with `--cpu-prof`. */
export async function startBenchCore(launcher: WorkerLauncher = createNodeWorkerLauncher()): Promise<BenchCore> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'keyward-bench-'));
  const core = await createCore({ dataDir, launcher, actor: 'bench' });
  const call = async <N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> => {
    const outcome = await core.dispatch(name, input, { transport: 'internal' });
    if (!outcome.ok) throw new Error(`${name}: ${outcome.error.Code}: ${outcome.error.Message}`);
    return outcome.output as OperationOutput<N>;
  };
  await call('InitializeDefaultKeyStore', { KeyStorePassword: BENCH_PASSWORD });
  // The token serial is in the audit record of the initialization (the only place the API shows it).
  const events = await call('ListAuditEvents', { Filters: [{ Key: 'Operation', Values: ['InitializeDefaultKeyStore'] }] });
  const serial = String(events.Events[0]?.Details.TokenSerial ?? '');
  if (!serial) throw new Error('no token serial in the audit log');
  return {
    core,
    dataDir,
    serial,
    call,
    async close() {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** CKA_ID of a key version's objects (as key-identifiers.ts derives it). */
export function objectIdOf(versionId: string): string {
  return versionId.replace(/-/g, '');
}
