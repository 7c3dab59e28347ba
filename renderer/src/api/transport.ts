import type { ProgressEvent } from '../../../shared/wire';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** One way to carry an operation call to the core: Electron IPC or the browser host's WebSocket. */
export interface Transport {
  readonly kind: 'ipc' | 'ws';
  /** Resolves with the operation output, rejects with a KmsClientError. */
  call(operation: string, input: unknown): Promise<unknown>;
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}
