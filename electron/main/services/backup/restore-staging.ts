import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultKeyStorePaths } from '../keystores/default-key-store';

/**
 * A restore is written whole into `restore-staging/` next to the live files, then committed by
 * one marker file; only then are the files moved into place, with the core closed. A start that
 * finds the marker finishes the moves (each step can be repeated), one that finds staging without
 * it deletes it: a data directory is left as it was or wholly restored, never half.
 */
const STAGING = 'restore-staging';
const COMMITTED = 'COMMITTED';
const REGISTRY_FILES = ['registry.sqlite-wal', 'registry.sqlite-shm', 'registry.sqlite-journal'];

export function restoreStagingDir(dataDir: string): string {
  return path.join(dataDir, STAGING);
}

/** An empty staging directory for a new restore (a left-over one is dropped). */
export function prepareRestoreStaging(dataDir: string): string {
  const dir = restoreStagingDir(dataDir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'tokens'), { recursive: true, mode: 0o700 });
  return dir;
}

/** The commit point: after this the restore happens even if the process dies right away. */
export function commitRestoreStaging(dataDir: string): void {
  const dir = restoreStagingDir(dataDir);
  syncTree(dir);
  const marker = path.join(dir, COMMITTED);
  writeFileSync(`${marker}.tmp`, 'committed\n', { mode: 0o600 });
  syncFile(`${marker}.tmp`);
  renameSync(`${marker}.tmp`, marker);
  syncFile(dir);
}

export function discardRestoreStaging(dataDir: string): void {
  rmSync(restoreStagingDir(dataDir), { recursive: true, force: true });
}

/**
 * Run with nothing open on the data directory (before the core opens, or between close and reopen).
 * Returns what it did, for the start-up notice.
 */
export function applyRestoreStaging(dataDir: string): 'NONE' | 'APPLIED' | 'DISCARDED' {
  const dir = restoreStagingDir(dataDir);
  if (!existsSync(dir)) return 'NONE';
  if (!existsSync(path.join(dir, COMMITTED))) {
    discardRestoreStaging(dataDir);
    return 'DISCARDED';
  }
  const { tokenDir } = defaultKeyStorePaths(dataDir);
  mkdirSync(tokenDir, { recursive: true, mode: 0o700 });
  const stagedTokens = path.join(dir, 'tokens');
  for (const token of existsSync(stagedTokens) ? readdirSync(stagedTokens) : []) {
    const target = path.join(tokenDir, token);
    rmSync(target, { recursive: true, force: true });
    renameSync(path.join(stagedTokens, token), target);
  }
  const stagedRegistry = path.join(dir, 'registry.sqlite');
  if (existsSync(stagedRegistry)) {
    // The empty registry's journal files must not be replayed into the restored one.
    for (const name of REGISTRY_FILES) rmSync(path.join(dataDir, name), { force: true });
    renameSync(stagedRegistry, path.join(dataDir, 'registry.sqlite'));
  }
  syncFile(dataDir);
  syncFile(tokenDir);
  // The marker goes last: until then a crash repeats the (idempotent) moves.
  for (const entry of readdirSync(dir)) if (entry !== COMMITTED) rmSync(path.join(dir, entry), { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  return 'APPLIED';
}

function syncFile(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) syncTree(full);
    else syncFile(full);
  }
  syncFile(dir);
}
