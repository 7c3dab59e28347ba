import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { CallOutcome } from '../../../shared/bridge';
import { IPC_INVOKE_CHANNEL, IPC_PROGRESS_CHANNEL } from '../../../shared/wire';
import type { DispatchContext } from './dispatcher';

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
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !isAppUrl(frame.url)) {
      return refuse('The caller is not the Keyward window.');
    }
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
