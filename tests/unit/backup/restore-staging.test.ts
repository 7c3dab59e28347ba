import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyRestoreStaging,
  commitRestoreStaging,
  discardRestoreStaging,
  prepareRestoreStaging,
  restoreStagingDir,
} from '../../../electron/main/services/backup/restore-staging';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A data directory as a fresh start leaves it: an empty registry with its WAL, an empty token directory. */
function liveDataDir(): string {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'keyward-staging-unit-'));
  dirs.push(dataDir);
  mkdirSync(path.join(dataDir, 'softhsm', 'tokens'), { recursive: true });
  writeFileSync(path.join(dataDir, 'registry.sqlite'), 'empty registry');
  writeFileSync(path.join(dataDir, 'registry.sqlite-wal'), 'empty registry wal');
  writeFileSync(path.join(dataDir, 'registry.sqlite-shm'), 'shm');
  return dataDir;
}

/** A whole restore in staging: the backup's registry and one token with two objects. */
function stageRestore(dataDir: string): string {
  const staging = prepareRestoreStaging(dataDir);
  writeFileSync(path.join(staging, 'registry.sqlite'), 'restored registry');
  mkdirSync(path.join(staging, 'tokens', 'token-a'));
  writeFileSync(path.join(staging, 'tokens', 'token-a', 'token.object'), 'token');
  writeFileSync(path.join(staging, 'tokens', 'token-a', 'key-1.object'), 'key one');
  writeFileSync(path.join(staging, 'tokens', 'token-a', 'key-1.lock'), '');
  return staging;
}

function tree(dir: string, under = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? tree(path.join(dir, entry.name), under) : [path.relative(under, path.join(dir, entry.name))]))
    .sort();
}

const read = (file: string): string => readFileSync(file, 'utf8');

function expectRestored(dataDir: string): void {
  expect(read(path.join(dataDir, 'registry.sqlite'))).toBe('restored registry');
  // The empty registry's journal must not be replayed into the restored one.
  expect(existsSync(path.join(dataDir, 'registry.sqlite-wal'))).toBe(false);
  expect(existsSync(path.join(dataDir, 'registry.sqlite-shm'))).toBe(false);
  expect(tree(path.join(dataDir, 'softhsm', 'tokens'))).toEqual(['token-a/key-1.lock', 'token-a/key-1.object', 'token-a/token.object']);
  expect(read(path.join(dataDir, 'softhsm', 'tokens', 'token-a', 'key-1.object'))).toBe('key one');
  expect(existsSync(restoreStagingDir(dataDir))).toBe(false);
}

describe('restore staging', () => {
  it('does nothing on a start without staging', () => {
    const dataDir = liveDataDir();
    const before = tree(dataDir);
    expect(applyRestoreStaging(dataDir)).toBe('NONE');
    expect(tree(dataDir)).toEqual(before);
  });

  it('starts each restore from an empty staging directory, dropping what an earlier one left', () => {
    const dataDir = liveDataDir();
    stageRestore(dataDir);
    const staging = prepareRestoreStaging(dataDir);
    expect(tree(staging)).toEqual([]);
    expect(readdirSync(staging)).toEqual(['tokens']);
  });

  it('drops staging without the commit marker (a restore cut before its commit point) and leaves the live files as they were', () => {
    for (const cut of ['no marker', 'marker being written']) {
      const dataDir = liveDataDir();
      const before = tree(dataDir).map((file) => [file, read(path.join(dataDir, file))]);
      const staging = stageRestore(dataDir);
      if (cut === 'marker being written') writeFileSync(path.join(staging, 'COMMITTED.tmp'), 'committed\n');
      expect(applyRestoreStaging(dataDir), cut).toBe('DISCARDED');
      expect(tree(dataDir).map((file) => [file, read(path.join(dataDir, file))]), cut).toEqual(before);
    }
  });

  it('moves a committed restore into place, replacing the empty registry and its journal', () => {
    const dataDir = liveDataDir();
    stageRestore(dataDir);
    commitRestoreStaging(dataDir);
    expect(applyRestoreStaging(dataDir)).toBe('APPLIED');
    expectRestored(dataDir);
    expect(applyRestoreStaging(dataDir)).toBe('NONE');
    expectRestored(dataDir);
  });

  it('replaces a token directory of the same name whole, leaving none of its old objects', () => {
    const dataDir = liveDataDir();
    mkdirSync(path.join(dataDir, 'softhsm', 'tokens', 'token-a'));
    writeFileSync(path.join(dataDir, 'softhsm', 'tokens', 'token-a', 'stale.object'), 'stale');
    stageRestore(dataDir);
    commitRestoreStaging(dataDir);
    expect(applyRestoreStaging(dataDir)).toBe('APPLIED');
    expectRestored(dataDir);
  });

  it('finishes an apply cut at any step: each step can be repeated', () => {
    // After the tokens moved, before the registry did.
    const tokensMoved = liveDataDir();
    const stagingA = stageRestore(tokensMoved);
    commitRestoreStaging(tokensMoved);
    renameSync(path.join(stagingA, 'tokens', 'token-a'), path.join(tokensMoved, 'softhsm', 'tokens', 'token-a'));
    expect(applyRestoreStaging(tokensMoved)).toBe('APPLIED');
    expectRestored(tokensMoved);

    // After the empty registry's journal was removed, before the restored registry moved.
    const journalGone = liveDataDir();
    stageRestore(journalGone);
    commitRestoreStaging(journalGone);
    rmSync(path.join(journalGone, 'registry.sqlite-wal'));
    expect(applyRestoreStaging(journalGone)).toBe('APPLIED');
    expectRestored(journalGone);

    // After everything moved, before staging was removed: the restored registry stays.
    const allMoved = liveDataDir();
    const stagingC = stageRestore(allMoved);
    commitRestoreStaging(allMoved);
    renameSync(path.join(stagingC, 'tokens', 'token-a'), path.join(allMoved, 'softhsm', 'tokens', 'token-a'));
    for (const name of ['registry.sqlite-wal', 'registry.sqlite-shm']) rmSync(path.join(allMoved, name));
    renameSync(path.join(stagingC, 'registry.sqlite'), path.join(allMoved, 'registry.sqlite'));
    expect(applyRestoreStaging(allMoved)).toBe('APPLIED');
    expectRestored(allMoved);
  });

  it('discards on request (a refused restore)', () => {
    const dataDir = liveDataDir();
    stageRestore(dataDir);
    discardRestoreStaging(dataDir);
    expect(existsSync(restoreStagingDir(dataDir))).toBe(false);
    expect(read(path.join(dataDir, 'registry.sqlite'))).toBe('empty registry');
  });
});
