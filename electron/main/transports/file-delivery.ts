import { randomBytes } from 'node:crypto';
import { constants, lstatSync, statSync } from 'node:fs';
import { chmod, copyFile, link, lstat, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Why a file could not be delivered; the message names the target path (never a secret). */
export class FileDeliveryError extends Error {
  constructor(
    readonly reason: 'EXISTS' | 'NO_DIRECTORY' | 'WRITE_FAILED',
    message: string,
  ) {
    super(message);
  }
}

/** File systems without hard links (FAT and exFAT removable media among them) answer a link() with these. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Checks, before any work is done, that `target` can be created: its directory exists and the name
 * is free. Delivery checks again (a file may appear meanwhile); this only spares the officer a
 * backup made for nothing.
 */
export function expectNewFileTarget(target: string): void {
  const directory = path.dirname(target);
  let isDirectory = false;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory) throw new FileDeliveryError('NO_DIRECTORY', `The directory ${directory} does not exist.`);
  if (existsQuietly(target)) throw alreadyExists(target);
}

/**
 * Copies `source` to `target` so that `target` only ever appears whole: the copy is written under a
 * temporary name in the target's directory (same file system, so the last step is atomic), flushed
 * to the disk, then published. Without `overwrite` an existing `target` is refused, atomically
 * where the file system has hard links. The file is 0600: a backup is the officer's alone. A crash
 * may leave the hidden temporary file, never a half file under the final name.
 */
export async function deliverFile(source: string, target: string, options: { overwrite: boolean }): Promise<void> {
  const directory = path.dirname(target);
  const temporary = path.join(directory, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    await copyFile(source, temporary, constants.COPYFILE_EXCL);
    await chmod(temporary, 0o600);
    await flush(temporary, 'r+');
    if (options.overwrite) await rename(temporary, target);
    else await publishNew(temporary, target);
    await flushDirectory(directory);
  } catch (error) {
    if (error instanceof FileDeliveryError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new FileDeliveryError('WRITE_FAILED', `${target} could not be written (${typeof code === 'string' ? code : String(error)}).`);
  } finally {
    await rm(temporary, { force: true });
  }
}

/** link() fails when the name exists, so no check-then-rename race on file systems that have links. */
async function publishNew(temporary: string, target: string): Promise<void> {
  try {
    await link(temporary, target);
    return;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EEXIST') throw alreadyExists(target);
    if (typeof code !== 'string' || !NO_HARD_LINKS.has(code)) throw error;
  }
  // A symbolic link counts as taken, wherever it points.
  if (await lstat(target).then(() => true, () => false)) {
    throw alreadyExists(target);
  }
  await rename(temporary, target);
}

async function flush(file: string, flags: string): Promise<void> {
  const handle = await open(file, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The rename itself reaches the disk only with its directory; some file systems cannot fsync one. */
async function flushDirectory(directory: string): Promise<void> {
  try {
    await flush(directory, 'r');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM') throw error;
  }
}

function alreadyExists(target: string): FileDeliveryError {
  return new FileDeliveryError('EXISTS', `${target} already exists; Keyward does not overwrite a file: choose another name.`);
}

function existsQuietly(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
