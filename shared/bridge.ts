import type { KmsErrorBody } from './errors';
import type { ProgressEvent } from './wire';

/** Outcome of one operation call as it crosses a process boundary. */
export type CallOutcome = { ok: true; output: unknown } | { ok: false; error: KmsErrorBody };

/** What the Electron preload exposes as `window.kms` (and nothing else). */
export interface KmsBridge {
  invoke(operation: string, input: unknown): Promise<CallOutcome>;
  /** Subscribe to progress of long operations; returns the unsubscribe function. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  /**
   * Saves the file an operation made (CreateBackup's `BackupId`) where the officer picks in the
   * main process's save dialog; `saved: false` when the dialog was cancelled (the file still waits).
   * The page never names a path.
   */
  saveFile(backupId: string): Promise<SavedFile>;
  /** Lets the officer pick a backup file in the open dialog; null when cancelled. */
  chooseFile(): Promise<ChosenFile | null>;
}

export interface SavedFile {
  saved: boolean;
  /** Where it was saved, to show the officer. */
  path?: string;
}

/** A file staged for DescribeBackup, VerifyBackup or RestoreBackup. */
export interface ChosenFile {
  FileId: string;
  FileName: string;
}

/** Transports that can carry an operation call; recorded in audit events. */
export type TransportName = 'ipc' | 'ws' | 'cli' | 'internal' | 'endpoint';
