/**
 * WorkerLauncher for plain Node (tests, CLI, the browser host): child_process.fork with 'advanced'
 * serialization so Buffers cross intact. From TypeScript sources the worker runs through tsx;
 * a build passes the path of its bundled worker entry (or relies on the sibling `worker/main.js`).
 * Electron's main process uses its own utilityProcess launcher with the same interface.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createOutbox, forEachMessage } from './batching';
import type { WorkerRequest } from './protocol';
import { buildWorkerEnvironment, WORKER_BASE_ENVIRONMENT } from './worker-environment';
import type { WorkerChannel, WorkerExitInfo, WorkerLauncher } from './worker-launcher';

export interface NodeWorkerLauncherOptions {
  /** Worker entry file; default: `worker/main.ts` next to this file (sources) or `worker/main.js` (built). */
  workerPath?: string;
  /** Node flags for the worker; default: `--import tsx` for a `.ts` entry, none otherwise. */
  execArgv?: string[];
  /**
   * The fixed environment the module's variables are added to; default WORKER_BASE_ENVIRONMENT.
   * Never process.env: the parent's passwords and loader switches must not reach the worker.
   */
  baseEnv?: Readonly<Record<string, string>>;
}

export interface WorkerEntry {
  path: string;
  execArgv: string[];
}

/** Where the worker entry is when nothing is configured, and how Node must run it. */
export function defaultWorkerEntry(): WorkerEntry {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (here.endsWith('.ts')) {
    return { path: join(dir, 'worker', 'main.ts'), execArgv: tsxExecArgv() };
  }
  const built = [join(dir, 'worker', 'main.js'), join(dir, 'hsm-worker.js')].find((candidate) => existsSync(candidate));
  return { path: built ?? join(dir, 'worker', 'main.js'), execArgv: [] };
}

/** `--import <tsx loader>` resolved to an absolute URL, so it works whatever the cwd is. */
function tsxExecArgv(): string[] {
  const loader = createRequire(import.meta.url).resolve('tsx');
  return ['--import', pathToFileURL(loader).href];
}

export function createNodeWorkerLauncher(options: NodeWorkerLauncherOptions = {}): WorkerLauncher {
  return {
    launch(env: Record<string, string>): WorkerChannel {
      const workerEnv = buildWorkerEnvironment(env, options.baseEnv ?? WORKER_BASE_ENVIRONMENT);
      const entry = options.workerPath
        ? { path: options.workerPath, execArgv: options.workerPath.endsWith('.ts') ? tsxExecArgv() : [] }
        : defaultWorkerEntry();
      const child = fork(entry.path, [], {
        serialization: 'advanced',
        execArgv: options.execArgv ?? entry.execArgv,
        env: workerEnv,
        // stdout is unused; stderr stays visible for native crash reports (the worker logs no secrets).
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      let exited = false;
      const exitListeners: Array<(info: WorkerExitInfo) => void> = [];
      const finish = (code: number | null, signal: string | null): void => {
        if (exited) return;
        exited = true;
        for (const listener of exitListeners) listener({ code, signal });
      };
      child.on('exit', (code, signal) => finish(code, signal));
      // Spawn failures emit 'error' and possibly no 'exit'.
      child.on('error', () => {
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) return;
        finish(child.exitCode, child.signalCode);
      });
      const outbox = createOutbox<WorkerRequest>((batch) => {
        if (!child.connected) return; // the exit handler fails the calls
        try {
          child.send(batch, (error) => {
            if (error) child.kill('SIGKILL'); // undeliverable: treat the worker as dead
          });
        } catch {
          child.kill('SIGKILL');
        }
      });
      return {
        pid: child.pid,
        send(message: WorkerRequest): void {
          if (!child.connected) throw new Error('worker channel closed');
          outbox.push(message);
        },
        onMessage(listener) {
          child.on('message', (message: unknown) => forEachMessage(message, listener));
        },
        onExit(listener) {
          if (exited) listener({ code: child.exitCode, signal: child.signalCode });
          else exitListeners.push(listener);
        },
        kill() {
          if (!exited) child.kill('SIGKILL');
        },
      };
    },
  };
}
