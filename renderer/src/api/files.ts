import type { ChosenFile } from '../../../shared/bridge';
import { isKmsErrorBody } from '../../../shared/errors';
import { t } from '../i18n';
import { KmsClientError } from './errors';

/**
 * Files that cross the console without a path the renderer could name: the backup CreateBackup made
 * (delivered by the transport) and a backup to read (staged by the transport, named by a FileId).
 * Electron has native dialogs in the preload; the browser host takes uploads and serves one-time
 * downloads on the page's own origin, with the session cookie.
 */

/** A file the transport staged for DescribeBackup / VerifyBackup / RestoreBackup. */
export type StagedFile = ChosenFile;

/** Where a made backup went; an Electron save dialog closed without saving leaves the file waiting. */
export type Delivery = { kind: 'download'; fileName: string } | { kind: 'saved'; path: string } | { kind: 'not-saved' };

/** Electron chooses files in its own dialog; the browser in an <input type="file">. */
export function hasNativeFileDialogs(): boolean {
  return window.kms !== undefined;
}

/** Electron: the open dialog; null when the officer cancelled it. */
export async function chooseFileNatively(): Promise<StagedFile | null> {
  if (!window.kms) throw new KmsClientError('Client.NotConnected', 'Native file dialogs exist only in the Keyward window.');
  return window.kms.chooseFile();
}

/** Browser host: streams the chosen file to the host, which stages it and names it by a FileId. */
export async function uploadFile(file: File): Promise<StagedFile> {
  let response: Response;
  try {
    response = await fetch('/files', {
      method: 'POST',
      body: file,
      headers: { 'Content-Type': 'application/octet-stream' },
      credentials: 'same-origin',
    });
  } catch {
    throw new KmsClientError('Client.ConnectionLost', `The upload of ${file.name} did not reach the Keyward host.`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.status === 201 && isFileIdBody(body)) return { FileId: body.FileId, FileName: file.name };
  if (isKmsErrorBody(body)) throw KmsClientError.fromBody(body);
  throw new KmsClientError('Client.InvalidResponse', uploadRefusal(response.status, file.name, stringField(body, 'Message')));
}

function stringField(value: unknown, name: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const field = (value as Record<string, unknown>)[name];
  return typeof field === 'string' ? field : null;
}

function isFileIdBody(value: unknown): value is { FileId: string } {
  return stringField(value, 'FileId') !== null;
}

function uploadRefusal(status: number, fileName: string, hostMessage: string | null): string {
  if (status === 403) return t('common.uploadRefusal.noSession');
  return hostMessage ? t('common.uploadRefusal.refusedWithReason', { fileName, status, reason: hostMessage }) : t('common.uploadRefusal.refused', { fileName, status });
}

/**
 * Hands the backup CreateBackup made to the officer: Electron's save dialog, or the browser's
 * download of `/files/<BackupId>` (the host serves it once, then forgets it).
 */
export async function deliverMadeFile(backupId: string, fileName: string): Promise<Delivery> {
  if (window.kms) {
    const outcome = await window.kms.saveFile(backupId);
    return outcome.saved ? { kind: 'saved', path: outcome.path ?? '' } : { kind: 'not-saved' };
  }
  // A link rather than fetch(): the browser streams the file to disk instead of holding it in memory.
  const link = document.createElement('a');
  link.href = `/files/${encodeURIComponent(backupId)}`;
  link.download = fileName;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.appendChild(link);
  link.click();
  link.remove();
  return { kind: 'download', fileName };
}
