import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallOutcome } from '../../shared/bridge';
import type { OperationInput, OperationName, OperationOutput } from '../../shared/contract';
import type { KmsErrorBody } from '../../shared/errors';
import { createCore } from '../../electron/main/app/core';
import type { Core } from '../../electron/main/app/core-types';
import { createNodeWorkerLauncher } from '../../electron/main/hsm/node-launcher';

export interface TestCore {
  core: Core;
  dataDir: string;
  /** Calls an operation through the dispatcher and returns its output, failing the test on an error. */
  call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>>;
  /** Calls an operation that must fail and returns its error body. */
  fail(name: string, input: unknown): Promise<KmsErrorBody>;
  close(): Promise<void>;
}

/** A real core on a temp data dir: SQLite file, embedded SoftHSM2 token, worker process. */
export async function createTestCore(
  dataDir = mkdtempSync(path.join(tmpdir(), 'keyward-test-')),
  options: { now?: () => Date; onNotice?: (message: string) => void } = {},
): Promise<TestCore> {
  const core = await createCore({ dataDir, launcher: createNodeWorkerLauncher(), actor: 'test-officer', now: options.now, onNotice: options.onNotice });
  const dispatch = (name: string, input: unknown): Promise<CallOutcome> => core.dispatch(name, input, { transport: 'internal' });
  return {
    core,
    dataDir,
    async call(name, input) {
      const outcome = await dispatch(name, input);
      if (!outcome.ok) throw new Error(`${name} failed: ${outcome.error.Code}: ${outcome.error.Message}`);
      return outcome.output as never;
    },
    async fail(name, input) {
      const outcome = await dispatch(name, input);
      if (outcome.ok) throw new Error(`${name} unexpectedly succeeded`);
      return outcome.error;
    },
    close: () => core.close(),
  };
}

/** A test core whose default key store is initialized (and so connected) with CANARY_PASSWORD. */
export async function createInitializedTestCore(options: { now?: () => Date; onNotice?: (message: string) => void } = {}): Promise<TestCore> {
  const t = await createTestCore(undefined, options);
  await t.call('InitializeDefaultKeyStore', { KeyStorePassword: CANARY_PASSWORD });
  return t;
}

/** Closes a test core and removes its data directory. */
export async function disposeTestCore(t: TestCore): Promise<void> {
  await t.close();
  removeDir(t.dataDir);
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A password that satisfies the policy and is easy to grep for. */
export const CANARY_PASSWORD = 'Canary7Pw0rdXq';
