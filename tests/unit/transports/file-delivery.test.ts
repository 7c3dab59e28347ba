import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverFile, expectNewFileTarget, FileDeliveryError } from '../../../electron/main/transports/file-delivery';
import { removeDir } from '../../support/test-core';

describe('deliverFile: a whole file under its final name, or none', () => {
  let work = '';
  let source = '';
  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'keyward-delivery-'));
    source = path.join(work, 'made');
    writeFileSync(source, Buffer.alloc(300_000, 7), { mode: 0o600 });
  });
  afterEach(() => removeDir(work));

  const reasonOf = async (promise: Promise<unknown>): Promise<string> => {
    try {
      await promise;
    } catch (error) {
      return error instanceof FileDeliveryError ? error.reason : `not a FileDeliveryError: ${String(error)}`;
    }
    return 'delivered';
  };

  it('copies to a new file, 0600, leaving no temporary name', async () => {
    const target = path.join(work, 'out', 'backup.kwbackup');
    mkdirSync(path.dirname(target));
    await deliverFile(source, target, { overwrite: false });
    expect(readFileSync(target).equals(readFileSync(source))).toBe(true);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.dirname(target))).toEqual(['backup.kwbackup']);
  });

  it('refuses an existing file or a symbolic link under the name, and leaves it alone', async () => {
    const taken = path.join(work, 'taken.kwbackup');
    writeFileSync(taken, 'mine');
    expect(await reasonOf(deliverFile(source, taken, { overwrite: false }))).toBe('EXISTS');
    expect(readFileSync(taken, 'utf8')).toBe('mine');
    const dangling = path.join(work, 'link.kwbackup');
    symlinkSync(path.join(work, 'nowhere'), dangling);
    expect(await reasonOf(deliverFile(source, dangling, { overwrite: false }))).toBe('EXISTS');
    expect(existsSync(path.join(work, 'nowhere'))).toBe(false);
    expect(readdirSync(work).sort()).toEqual(['link.kwbackup', 'made', 'taken.kwbackup']);
  });

  it('replaces the file when asked to (the save dialog confirmed it)', async () => {
    const target = path.join(work, 'again.kwbackup');
    writeFileSync(target, 'old');
    await deliverFile(source, target, { overwrite: true });
    expect(statSync(target).size).toBe(300_000);
  });

  it('reports a failed copy as WRITE_FAILED and removes its temporary file', async () => {
    expect(await reasonOf(deliverFile(path.join(work, 'gone'), path.join(work, 'x.kwbackup'), { overwrite: false }))).toBe('WRITE_FAILED');
    expect(await reasonOf(deliverFile(source, path.join(work, 'no-dir', 'x.kwbackup'), { overwrite: false }))).toBe('WRITE_FAILED');
    expect(readdirSync(work)).toEqual(['made']);
  });

  it('checks a target before any work: an existing directory, a free name', () => {
    expect(() => expectNewFileTarget(path.join(work, 'new.kwbackup'))).not.toThrow();
    expect(() => expectNewFileTarget(source)).toThrow(expect.objectContaining({ reason: 'EXISTS' }));
    expect(() => expectNewFileTarget(path.join(work, 'missing', 'new.kwbackup'))).toThrow(expect.objectContaining({ reason: 'NO_DIRECTORY' }));
    expect(() => expectNewFileTarget(path.join(source, 'new.kwbackup'))).toThrow(expect.objectContaining({ reason: 'NO_DIRECTORY' }));
  });
});
