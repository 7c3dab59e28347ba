import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FileExchange } from '../services/files/file-exchange';

/** What the browser host needs of the core's file exchange. */
export type HostFiles = Pick<FileExchange, 'newUploadPath' | 'registerIncoming' | 'takeOutgoing' | 'release'>;

/** A backup of a large registry stays well under this; anything bigger is not a backup. */
export const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

export const FILES_PATH = '/files';

/**
 * `POST /files`: the body (raw octets) becomes a staged file, answered with the FileId that
 * DescribeBackup, VerifyBackup and RestoreBackup take. The caller has already been admitted (session
 * cookie, Host, Origin). The file is written 0600 in the exchange directory; one that outgrows
 * `maxBytes`, or whose upload breaks off, is removed and never registered.
 */
export function receiveUpload(request: IncomingMessage, response: ServerResponse, files: HostFiles, maxBytes: number, baseHeaders: OutgoingHttpHeaders): void {
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/octet-stream') {
    answer(response, 415, baseHeaders, { Message: 'Upload the file as application/octet-stream.' });
    request.resume();
    return;
  }
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) {
    refuseTooLarge(request, response, maxBytes, baseHeaders);
    return;
  }

  const { fileId, path } = files.newUploadPath();
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  let received = 0;
  let settled = false;
  const abandon = (): void => {
    if (settled) return;
    settled = true;
    request.unpipe(out);
    out.destroy();
    rmSync(path, { force: true });
    // The file's open may still be in flight on a busy thread pool and create it after the removal
    // above: remove it again once the stream has closed.
    out.once('close', () => rmSync(path, { force: true }));
  };
  request.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received <= maxBytes || settled) return;
    abandon();
    refuseTooLarge(request, response, maxBytes, baseHeaders);
  });
  // The browser went away mid-upload: nothing half-written stays behind.
  request.on('aborted', abandon);
  request.on('error', abandon);
  out.on('error', () => {
    if (settled) return;
    abandon();
    answer(response, 500, baseHeaders, { Message: 'The upload could not be stored.' });
  });
  out.on('finish', () => {
    if (settled) return;
    settled = true;
    files.registerIncoming(path, true, fileId);
    answer(response, 201, baseHeaders, { FileId: fileId });
  });
  request.pipe(out);
}

/**
 * `GET /files/<BackupId>`: the made file, once. The exchange hands it over and forgets it; the file
 * is deleted when the response has finished or broken off, so a second request finds nothing.
 */
export function sendDownload(response: ServerResponse, id: string, files: HostFiles, baseHeaders: OutgoingHttpHeaders): void {
  const made = files.takeOutgoing(id);
  if (!made) {
    response.writeHead(404, { ...baseHeaders, 'Content-Type': 'text/plain' }).end('Not found');
    return;
  }
  response.once('close', () => files.release(made.path));
  let size: number;
  try {
    size = statSync(made.path).size;
  } catch {
    response.writeHead(404, { ...baseHeaders, 'Content-Type': 'text/plain' }).end('Not found');
    return;
  }
  response.writeHead(200, {
    ...baseHeaders,
    'Content-Type': 'application/octet-stream',
    'Content-Length': size,
    'Content-Disposition': `attachment; filename="${safeFileName(made.fileName)}"`,
  });
  createReadStream(made.path)
    .on('error', () => response.destroy())
    .pipe(response);
}

/** The suggested name in a header: the service makes it from safe characters, this keeps it so. */
function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_') || 'keyward.kwbackup';
}

/**
 * 413, then the connection closes: what the client still sends is read and dropped (not stored), so
 * that it sees the answer instead of a reset.
 */
function refuseTooLarge(request: IncomingMessage, response: ServerResponse, maxBytes: number, baseHeaders: OutgoingHttpHeaders): void {
  request.resume();
  answer(response, 413, { ...baseHeaders, Connection: 'close' }, { Message: `A file may be at most ${maxBytes} bytes.` });
}

function answer(response: ServerResponse, status: number, baseHeaders: OutgoingHttpHeaders, body: Record<string, string>): void {
  if (response.headersSent) return;
  response.writeHead(status, { ...baseHeaders, 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}
