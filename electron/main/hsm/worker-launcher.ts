/**
 * How the main process starts a PKCS#11 worker: an injected launcher, so Node (child_process.fork,
 * node-launcher.ts) and Electron (utilityProcess, app/electron-launcher.ts) plug in the same way
 * and tests can observe or kill the process.
 */
import type { WorkerRequest } from './protocol';

export interface WorkerExitInfo {
  code: number | null;
  /** Signal name when the OS reports one (child_process); utilityProcess gives only a code. */
  signal: string | null;
}

/** One running worker process, seen from the parent. */
export interface WorkerChannel {
  /** Process id when known (diagnostics, crash tests). */
  readonly pid?: number | undefined;
  /** Delivers a request; may throw when the channel is already closed. */
  send(message: WorkerRequest): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process has ended (or could not be started); immediately if it already has. */
  onExit(listener: (info: WorkerExitInfo) => void): void;
  kill(): void;
}

/**
 * Starts a worker whose environment is the fixed base of worker-environment.ts plus the module's
 * allowlisted variables (never the parent's environment); throws KmsError when they are refused.
 */
export interface WorkerLauncher {
  launch(env: Record<string, string>): WorkerChannel;
}
