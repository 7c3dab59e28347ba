import type { KmsErrorBody } from './errors';

/** Progress of long work (key generation, replication), forwarded by every transport. */
export interface ProgressEvent {
  requestId: string;
  operation: string;
  /** 0..1, or null when the total is unknown. */
  fraction: number | null;
  message: string;
}

/** Messages of the browser-host WebSocket and of the Electron IPC channel. */
export interface WireRequest {
  id: number;
  op: string;
  input: unknown;
}

export type WireMessage =
  | { kind: 'result'; id: number; output: unknown }
  | { kind: 'error'; id: number; error: KmsErrorBody }
  | { kind: 'progress'; id: number; progress: ProgressEvent };

export const IPC_INVOKE_CHANNEL = 'kms:invoke';
export const IPC_PROGRESS_CHANNEL = 'kms:progress';
/** Save dialog for a made file (bridge.saveFile) and open dialog for one to read (bridge.chooseFile). */
export const IPC_SAVE_FILE_CHANNEL = 'kms:save-file';
export const IPC_CHOOSE_FILE_CHANNEL = 'kms:choose-file';
/** A BackupId as CreateBackup makes them (contract/backup.ts): checked before a save dialog opens for one. */
export const BACKUP_ID_PATTERN = /^bkp-[0-9a-f-]{36}$/;
