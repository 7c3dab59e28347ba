import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CallOutcome, ChosenFile, KmsBridge, SavedFile } from '../../shared/bridge';
import {
  BACKUP_ID_PATTERN,
  IPC_CHOOSE_FILE_CHANNEL,
  IPC_INVOKE_CHANNEL,
  IPC_PROGRESS_CHANNEL,
  IPC_SAVE_FILE_CHANNEL,
  type ProgressEvent,
} from '../../shared/wire';

/**
 * The whole surface the renderer gets: `window.kms.invoke`, `window.kms.onProgress`, and the two
 * file dialogs (`saveFile`, `chooseFile`), which the main process draws and the page never names
 * a path for.
 * No ipcRenderer, no channel names, no Node: a compromised page can call operations (which the
 * core validates and audits) and nothing else. Arguments are checked here because the page is
 * untrusted and contextBridge passes whatever it is given.
 */
const bridge: KmsBridge = {
  invoke(operation: string, input: unknown): Promise<CallOutcome> {
    if (typeof operation !== 'string') return Promise.reject(new TypeError('operation must be a string'));
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, operation, input) as Promise<CallOutcome>;
  },
  onProgress(listener: (event: ProgressEvent) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const handler = (_event: IpcRendererEvent, progress: ProgressEvent): void => listener(progress);
    ipcRenderer.on(IPC_PROGRESS_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_PROGRESS_CHANNEL, handler);
    };
  },
  saveFile(backupId: string): Promise<SavedFile> {
    if (typeof backupId !== 'string' || !BACKUP_ID_PATTERN.test(backupId)) return Promise.reject(new TypeError('backupId must be a BackupId'));
    return ipcRenderer.invoke(IPC_SAVE_FILE_CHANNEL, backupId) as Promise<SavedFile>;
  },
  chooseFile(): Promise<ChosenFile | null> {
    return ipcRenderer.invoke(IPC_CHOOSE_FILE_CHANNEL) as Promise<ChosenFile | null>;
  },
};

contextBridge.exposeInMainWorld('kms', bridge);
