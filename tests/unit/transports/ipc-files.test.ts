import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileExchange } from '../../../electron/main/services/files/file-exchange';
import { bindFileIpc, type FileDialogs } from '../../../electron/main/transports/ipc';
import { IPC_CHOOSE_FILE_CHANNEL, IPC_SAVE_FILE_CHANNEL } from '../../../shared/wire';
import { removeDir } from '../../support/test-core';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

const APP = 'file:///opt/keyward/out/renderer/index.html';
const BACKUP_ID = 'bkp-0a1b2c3d-0000-4000-8000-00000000beef';

/** The Electron side is faked (no binary here); the exchange and the files are real. */
describe('bindFileIpc: save and open dialogs for backup files', () => {
  let work = '';
  let files: FileExchange;
  const handlers = new Map<string, Handler>();
  const asked: string[] = [];
  let answer: string | null = null;
  const dialogs: FileDialogs = {
    chooseSavePath: (fileName) => {
      asked.push(`save ${fileName}`);
      return Promise.resolve(answer);
    },
    chooseOpenPath: () => {
      asked.push('open');
      return Promise.resolve(answer);
    },
  };
  const event = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent;
  const call = (channel: string, e: IpcMainInvokeEvent, ...args: unknown[]): Promise<unknown> => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`${channel} not bound`);
    return handler(e, ...args);
  };

  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'keyward-ipc-files-'));
    files = new FileExchange(path.join(work, 'exchange'));
    handlers.clear();
    asked.length = 0;
    answer = null;
    const ipcMain = { handle: (channel: string, handler: Handler) => void handlers.set(channel, handler), removeHandler: (channel: string) => void handlers.delete(channel) };
    bindFileIpc(ipcMain as never, files, dialogs, (url) => url === APP);
    const staged = files.stageOutgoing(BACKUP_ID, 'keyward-20261206-101500.kwbackup');
    writeFileSync(staged.tempPath, 'backup bytes');
    staged.commit();
  });
  afterEach(() => {
    files.close();
    removeDir(work);
  });

  it('saves where the officer chose, after a cancelled dialog too, and forgets the file once saved', async () => {
    expect(await call(IPC_SAVE_FILE_CHANNEL, event(APP), BACKUP_ID)).toEqual({ saved: false });
    const target = path.join(work, 'chosen.kwbackup');
    answer = target;
    expect(await call(IPC_SAVE_FILE_CHANNEL, event(APP), BACKUP_ID)).toEqual({ saved: true, path: target });
    expect(asked).toEqual(['save keyward-20261206-101500.kwbackup', 'save keyward-20261206-101500.kwbackup']);
    expect(readFileSync(target, 'utf8')).toBe('backup bytes');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(work, 'exchange', `out-${BACKUP_ID}`))).toBe(false);
    await expect(call(IPC_SAVE_FILE_CHANNEL, event(APP), BACKUP_ID)).rejects.toThrow('No backup waits');
  });

  it('refuses other frames and malformed ids before any dialog opens', async () => {
    answer = path.join(work, 'never.kwbackup');
    for (const e of [event('https://example.com/'), event(APP, { url: APP })]) {
      await expect(call(IPC_SAVE_FILE_CHANNEL, e, BACKUP_ID)).rejects.toThrow('not the Keyward window');
      await expect(call(IPC_CHOOSE_FILE_CHANNEL, e)).rejects.toThrow('not the Keyward window');
    }
    for (const id of [42, '../../etc/passwd', `${BACKUP_ID}x`, { toString: () => BACKUP_ID }]) {
      await expect(call(IPC_SAVE_FILE_CHANNEL, event(APP), id)).rejects.toThrow('BackupId');
    }
    expect(asked).toEqual([]);
    expect(existsSync(answer)).toBe(false);
    // Still there for the real window.
    expect(await call(IPC_SAVE_FILE_CHANNEL, event(APP), BACKUP_ID)).toEqual({ saved: true, path: answer });
  });

  it('stages a chosen file under a FileId without moving it; a cancelled dialog gives null', async () => {
    expect(await call(IPC_CHOOSE_FILE_CHANNEL, event(APP))).toBeNull();
    const chosen = path.join(work, 'from-usb.kwbackup');
    writeFileSync(chosen, 'a backup');
    answer = chosen;
    const staged = (await call(IPC_CHOOSE_FILE_CHANNEL, event(APP))) as { FileId: string; FileName: string };
    expect(staged).toEqual({ FileId: expect.stringMatching(/^file-/), FileName: 'from-usb.kwbackup' });
    expect(files.resolveIncoming(staged.FileId)).toBe(chosen);
    files.releaseIncoming(staged.FileId);
    expect(existsSync(chosen)).toBe(true);
  });
});
