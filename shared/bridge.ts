import type { KmsErrorBody } from './errors';
import type { ProgressEvent } from './wire';

/** Outcome of one operation call as it crosses a process boundary. */
export type CallOutcome = { ok: true; output: unknown } | { ok: false; error: KmsErrorBody };

/** What the Electron preload exposes as `window.kms` (and nothing else). */
export interface KmsBridge {
  invoke(operation: string, input: unknown): Promise<CallOutcome>;
  /** Subscribe to progress of long operations; returns the unsubscribe function. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
}

/** Transports that can carry an operation call; recorded in audit events. */
export type TransportName = 'ipc' | 'ws' | 'cli' | 'internal';
