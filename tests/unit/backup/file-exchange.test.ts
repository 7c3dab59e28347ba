import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileExchange, newFileId } from '../../../electron/main/services/files/file-exchange';
import { fileIdSchema } from '../../../shared/contract';
import { KmsError } from '../../../shared/errors';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'keyward-exchange-unit-'));
  dirs.push(dir);
  return dir;
}

function exchangeAt(clock: { now: number } = { now: 0 }, ttlMs = 1_000): { files: FileExchange; dir: string; clock: { now: number } } {
  const dir = path.join(scratch(), 'exchange');
  return { files: new FileExchange(dir, ttlMs, () => clock.now), dir, clock };
}

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    return error instanceof KmsError ? error.code : `not a KmsError: ${String(error)}`;
  }
}

describe('file exchange', () => {
  it('empties what an earlier run left (an uncollected backup, a half upload) and keeps its directory private', () => {
    const dir = path.join(scratch(), 'exchange');
    const first = new FileExchange(dir);
    writeFileSync(path.join(dir, 'out-bkp-left'), 'whole backup nobody collected');
    writeFileSync(path.join(dir, 'out-bkp-cut.partial'), 'half');
    new FileExchange(dir);
    expect(readdirSync(dir)).toEqual([]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    first.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('publishes a made file under its final name only on commit, and hands it out once', () => {
    const { files, dir } = exchangeAt();
    const staged = files.stageOutgoing('bkp-1', 'keyward-1.kwbackup');
    expect(path.dirname(staged.tempPath)).toBe(dir);
    writeFileSync(staged.tempPath, 'backup bytes');
    expect(files.takeOutgoing('bkp-1')).toBeNull();
    const beforeCommit = readdirSync(dir);
    const made = staged.commit();
    // While it was written, nothing went by the final name.
    expect(beforeCommit).toEqual([path.basename(staged.tempPath)]);
    expect(beforeCommit).not.toContain(path.basename(made.path));
    expect(readdirSync(dir)).toEqual([path.basename(made.path)]);
    expect(files.takeOutgoing('bkp-1')).toEqual({ path: made.path, fileName: 'keyward-1.kwbackup' });
    expect(files.takeOutgoing('bkp-1')).toBeNull();
    files.release(made.path);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('discards a made file that failed before its commit', () => {
    const { files, dir } = exchangeAt();
    const staged = files.stageOutgoing('bkp-2', 'x.kwbackup');
    writeFileSync(staged.tempPath, 'half');
    staged.discard();
    expect(readdirSync(dir)).toEqual([]);
    expect(files.takeOutgoing('bkp-2')).toBeNull();
  });

  it('deletes a made file nobody collected once it expired', () => {
    const { files, dir, clock } = exchangeAt();
    const staged = files.stageOutgoing('bkp-3', 'x.kwbackup');
    writeFileSync(staged.tempPath, 'backup');
    staged.commit();
    clock.now = 1_001;
    files.sweep();
    expect(readdirSync(dir)).toEqual([]);
    expect(files.takeOutgoing('bkp-3')).toBeNull();
  });

  it('resolves only FileIds a transport registered and that have not expired', () => {
    const { files, clock } = exchangeAt();
    const officersFile = path.join(scratch(), 'officer.kwbackup');
    writeFileSync(officersFile, 'backup');
    const fileId = files.registerIncoming(officersFile, false);
    expect(fileIdSchema.safeParse(fileId).success).toBe(true);
    expect(files.resolveIncoming(fileId)).toBe(officersFile);
    expect(codeOf(() => files.resolveIncoming(newFileId()))).toBe('NotFound.File');
    clock.now = 1_001;
    expect(codeOf(() => files.resolveIncoming(fileId))).toBe('NotFound.File');
    // The officer's own file (CLI --input) is never deleted by the exchange.
    files.sweep();
    expect(existsSync(officersFile)).toBe(true);
  });

  it('deletes an upload it owns when released, never a file the officer named', () => {
    const { files } = exchangeAt();
    const upload = files.newUploadPath();
    expect(fileIdSchema.safeParse(upload.fileId).success).toBe(true);
    writeFileSync(upload.path, 'uploaded');
    files.registerIncoming(upload.path, true, upload.fileId);
    const officersFile = path.join(scratch(), 'mine.kwbackup');
    writeFileSync(officersFile, 'mine');
    const named = files.registerIncoming(officersFile, false);
    files.releaseIncoming(upload.fileId);
    files.releaseIncoming(named);
    expect(existsSync(upload.path)).toBe(false);
    expect(existsSync(officersFile)).toBe(true);
    expect(codeOf(() => files.resolveIncoming(upload.fileId))).toBe('NotFound.File');
  });

  it('releases only files inside its own directory', () => {
    const { files, dir } = exchangeAt();
    const outside = path.join(scratch(), 'outside');
    writeFileSync(outside, 'keep');
    files.release(outside);
    files.release(path.join(dir, '..', path.basename(dir), '..', 'x'));
    files.release(`${dir}/sub/../../${path.relative(path.dirname(dir), outside)}`);
    expect(existsSync(outside)).toBe(true);
  });

  it('makes FileIds no one can guess twice', () => {
    const ids = new Set(Array.from({ length: 1_000 }, () => newFileId()));
    expect(ids.size).toBe(1_000);
    for (const id of ids) expect(fileIdSchema.safeParse(id).success).toBe(true);
  });
});
