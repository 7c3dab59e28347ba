import path from 'node:path';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { CallOutcome, ChosenFile, SavedFile } from '../../../shared/bridge';
import { BACKUP_ID_PATTERN, IPC_CHOOSE_FILE_CHANNEL, IPC_INVOKE_CHANNEL, IPC_PROGRESS_CHANNEL, IPC_SAVE_FILE_CHANNEL } from '../../../shared/wire';
import type { FileExchange, OutgoingFile } from '../services/files/file-exchange';
import type { DispatchContext } from './dispatcher';
import { deliverFile } from './file-delivery';

/** What the IPC binding needs of the core (structurally the app's `Core`; transports/ may not import app/). */
export interface IpcCore {
  dispatch(operation: string, input: unknown, context: DispatchContext): Promise<CallOutcome>;
}

function refuse(message: string): CallOutcome {
  return { ok: false, error: { Code: 'InvalidAction', Message: message, RequestId: '' } };
}

/**
 * Serves `window.kms.invoke` for the app's own renderer. The sender frame is checked on every call:
 * a child frame, a page that got navigated elsewhere, or anything else that is not the app page
 * gets a refusal and never reaches the core.
 *
 * `isAppUrl` decides which frame URLs are the app's renderer (its file:// page in production).
 * Returns a function that removes the handler.
 */
export function bindIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  core: IpcCore,
  isAppUrl: (url: string) => boolean,
): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, operation: unknown, input: unknown): Promise<CallOutcome> => {
    if (!fromAppFrame(event, isAppUrl)) return refuse('The caller is not the Keyward window.');
    if (typeof operation !== 'string') return refuse('The operation name must be a string.');
    const sender = event.sender;
    return core.dispatch(operation, input, {
      transport: 'ipc',
      onProgress: (progress) => {
        // The window may close while a long operation still reports progress.
        if (!sender.isDestroyed()) sender.send(IPC_PROGRESS_CHANNEL, progress);
      },
    });
  });
  return () => ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
}

/** The app page's own top frame: not a child frame, not a page navigated elsewhere. */
function fromAppFrame(event: IpcMainInvokeEvent, isAppUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

/** The main process's file dialogs: the officer picks a path there, the page never names one. */
export interface FileDialogs {
  /** The save dialog, offering `fileName`; the chosen path, or null when cancelled. */
  chooseSavePath(fileName: string): Promise<string | null>;
  /** The open dialog for a backup file; the chosen path, or null when cancelled. */
  chooseOpenPath(): Promise<string | null>;
}

export type IpcFiles = Pick<FileExchange, 'takeOutgoing' | 'release' | 'registerIncoming'>;

/**
 * Serves `window.kms.saveFile` and `window.kms.chooseFile` for the app's own top frame (other
 * callers get a rejected promise). A made file is taken from the exchange for its suggested name;
 * when the officer cancels the save dialog it is kept here, so the page can offer it again. A chosen
 * file is the officer's own and is read where it is. Returns a function that removes both handlers.
 */
export function bindFileIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  files: IpcFiles,
  dialogs: FileDialogs,
  isAppUrl: (url: string) => boolean,
): () => void {
  const unsaved = new Map<string, OutgoingFile>();
  ipcMain.handle(IPC_SAVE_FILE_CHANNEL, async (event: IpcMainInvokeEvent, backupId: unknown): Promise<SavedFile> => {
    if (!fromAppFrame(event, isAppUrl)) throw new Error('The caller is not the Keyward window.');
    if (typeof backupId !== 'string' || !BACKUP_ID_PATTERN.test(backupId)) throw new Error('saveFile takes a BackupId.');
    const made = unsaved.get(backupId) ?? files.takeOutgoing(backupId);
    if (!made) throw new Error('No backup waits under that BackupId (it was saved already, or expired): create it again.');
    unsaved.delete(backupId);
    let target: string | null;
    try {
      target = await dialogs.chooseSavePath(made.fileName);
    } catch (error) {
      unsaved.set(backupId, made);
      throw error;
    }
    if (target === null) {
      unsaved.set(backupId, made);
      return { saved: false };
    }
    try {
      // The dialog asked before replacing an existing file.
      await deliverFile(made.path, target, { overwrite: true });
    } catch (error) {
      unsaved.set(backupId, made);
      throw error;
    }
    files.release(made.path);
    return { saved: true, path: target };
  });
  ipcMain.handle(IPC_CHOOSE_FILE_CHANNEL, async (event: IpcMainInvokeEvent): Promise<ChosenFile | null> => {
    if (!fromAppFrame(event, isAppUrl)) throw new Error('The caller is not the Keyward window.');
    const chosen = await dialogs.chooseOpenPath();
    if (chosen === null) return null;
    return { FileId: files.registerIncoming(chosen, false), FileName: path.basename(chosen) };
  });
  return () => {
    ipcMain.removeHandler(IPC_SAVE_FILE_CHANNEL);
    ipcMain.removeHandler(IPC_CHOOSE_FILE_CHANNEL);
  };
}
