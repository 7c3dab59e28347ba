/**
 * Helpers for the module trust and worker environment suites (issue 18, findings 1 and 4): a core
 * whose launcher records every worker it starts, places for library copies, code-injection
 * payloads that leave a marker file when they run, and a worker's environment read from /proc.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallOutcome, TransportName } from '../../shared/bridge';
import type { KmsErrorBody } from '../../shared/errors';
import { createCore, type CoreOptions } from '../../electron/main/app/core';
import type { Core } from '../../electron/main/app/core-types';
import { createNodeWorkerLauncher } from '../../electron/main/hsm/node-launcher';
import { startBrowserHost } from '../../electron/main/transports/ws-host';
import { callOverSocket, openHostSession } from './host-session';
import type { WorkerChannel, WorkerLauncher } from '../../electron/main/hsm/worker-launcher';
import { SOFTHSM_MODULE_PATH } from './softhsm';

export { safeScratchDir } from './safe-scratch';


/** Every worker launch: the module environment it was asked for. */
export class CountingLauncher implements WorkerLauncher {
  readonly launches: Record<string, string>[] = [];
  private readonly inner = createNodeWorkerLauncher();

  launch(env: Record<string, string>): WorkerChannel {
    this.launches.push({ ...env });
    return this.inner.launch(env);
  }
}

export interface TrustCore {
  core: Core;
  launcher: CountingLauncher;
  call(operation: string, input: unknown, transport: TransportName): Promise<CallOutcome>;
  /** Calls an operation that must fail and returns its error. */
  refusal(operation: string, input: unknown, transport: TransportName): Promise<KmsErrorBody>;
  /** Stops the browser host (when a 'ws' call started it) and the core. */
  close(): Promise<void>;
}

export async function createTrustCore(dataDir: string, options: Partial<CoreOptions> = {}): Promise<TrustCore> {
  const launcher = new CountingLauncher();
  const core = await createCore({ dataDir, launcher, actor: 'test-officer', ...options });
  // 'ws' calls travel the real browser host: its one session, over a socket, as the page sends them.
  let host: { url: string; cookie: string; close(): Promise<void> } | null = null;
  const overSocket = async (operation: string, input: unknown): Promise<CallOutcome> => {
    if (!host) {
      const started = await startBrowserHost({ dispatch: core.dispatch, rendererDir: dataDir, port: 0 });
      host = { url: started.url, cookie: await openHostSession(started.launchUrl), close: () => started.close() };
    }
    return callOverSocket(host.url, host.cookie, operation, input);
  };
  const call = (operation: string, input: unknown, transport: TransportName): Promise<CallOutcome> =>
    transport === 'ws' ? overSocket(operation, input) : core.dispatch(operation, input, { transport });
  return {
    close: async () => {
      await host?.close();
      await core.close();
    },
    core,
    launcher,
    call,
    async refusal(operation, input, transport) {
      const outcome = await call(operation, input, transport);
      if (outcome.ok) throw new Error(`${operation} over ${transport} unexpectedly succeeded`);
      return outcome.error;
    },
  };
}


/** A world-writable place, as a second local user would use. */
export function sharedTmpDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A real PKCS#11 library (SoftHSM2) copied to `dir`: loadable, but not root's file in a system directory. */
export function copyOfSoftHsm(dir: string, name = 'libsofthsm2-copy.so'): string {
  const copy = path.join(dir, name);
  copyFileSync(SOFTHSM_MODULE_PATH, copy);
  return copy;
}

/** CommonJS that writes `marker`: what an attacker's NODE_OPTIONS --require would load. */
export function payloadScript(marker: string): string {
  return `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`;
}

/**
 * Module environments that run code in a Node worker, each writing `marker` when it runs:
 * NODE_OPTIONS with an inline data: module and with a CommonJS file (`payloadFile`),
 * and the same hidden beside a legitimate variable. Plus loader variables without a payload.
 * `payloadFile` should hold payloadScript(marker).
 */
export function injectionEnvironments(marker: string, payloadFile: string): Record<string, string>[] {
  // NODE_OPTIONS splits on spaces: the inline script has none.
  const inline = `--import=data:text/javascript,import('node:fs').then((fs)=>fs.writeFileSync('${marker}','ran'))`;
  return [
    { NODE_OPTIONS: inline },
    { NODE_OPTIONS: `--require=${payloadFile}` },
    { SOFTHSM2_CONF: '/etc/softhsm/softhsm2.conf', NODE_OPTIONS: `--require=${payloadFile}` },
    { LD_PRELOAD: payloadFile },
    { LD_LIBRARY_PATH: path.dirname(payloadFile) },
    { PATH: path.dirname(payloadFile) },
  ];
}

/** Waits long enough for a started worker to have run its NODE_OPTIONS, then says whether the marker exists. */
export async function markerAppears(marker: string, waitMs = 2_000): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if (existsSync(marker)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return existsSync(marker);
}

/** The environment a process started with, as the kernel shows it. */
export function environOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter((entry) => entry !== '');
  return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

/** Child processes of this test process whose environment has `NAME=value`. */
export function childProcessesWith(name: string, value: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        const parent = /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
        return Number(parent) === process.pid && environOf(pid)[name] === value;
      } catch {
        return false; // ended meanwhile
      }
    });
}
