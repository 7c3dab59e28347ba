import { randomBytes } from 'node:crypto';
import { lstatSync, mkdtempSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Where the browser host leaves its launch address (it carries the single-use nonce): a file only
 * the officer can read, never argv or stdout, which every local user can read.
 */
export interface LaunchFile {
  path: string;
  remove(): void;
}

/**
 * Writes `address` to `file` (0600, via a temporary name and rename, so no reader ever sees half of
 * it). The directory must belong to us and be writable by no one else: otherwise another user could
 * swap the file or the directory under us. Without `file`, a fresh 0700 temp directory is made.
 */
export function writeLaunchFile(file: string | null, address: string): LaunchFile {
  const ownDir = file === null ? mkdtempSync(path.join(tmpdir(), 'keyward-launch-')) : null;
  const target = file ?? path.join(ownDir ?? '', 'launch-url');
  checkLaunchFileTarget(target);
  const staging = path.join(path.dirname(target), `.launch-url-${randomBytes(6).toString('hex')}`);
  writeFileSync(staging, `${address}\n`, { flag: 'wx', mode: 0o600 });
  renameSync(staging, target);
  return {
    path: target,
    remove() {
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
      else unlinkQuietly(target);
    },
  };
}

/**
 * Refuses a target that exists already (a file or a symbolic link): a leftover could be someone
 * else's trap, and a reader still waiting on it would get a dead address. In a private directory
 * nobody else can make one between this check and the rename.
 */
export function checkLaunchFileTarget(file: string): void {
  checkPrivateDirectory(path.dirname(file));
  let existing = true;
  try {
    lstatSync(file);
  } catch {
    existing = false;
  }
  if (existing) throw new Error(`--url-file: ${file} exists already; give a path to a new file`);
}

function checkPrivateDirectory(dir: string): void {
  const info = statSync(dir);
  const uid = process.getuid?.();
  if (!info.isDirectory()) throw new Error(`--url-file: ${dir} is not a directory`);
  if (uid !== undefined && info.uid !== uid) throw new Error(`--url-file: ${dir} belongs to another user`);
  if ((info.mode & 0o022) !== 0) throw new Error(`--url-file: ${dir} is writable by other users; use a private (0700) directory`);
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
