/**
 * Issue 18, finding 6: the data directory and what is in it must be the officer's own and closed
 * to other local users. An existing, too-open directory is tightened; a directory or a SoftHSM2
 * configuration another user owns or may write is refused before anything is opened.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCore, removeDir, CANARY_PASSWORD } from '../../support/test-core';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
const made: string[] = [];

function scratch(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'keyward-perms-'));
  made.push(dir);
  return dir;
}

function modeOf(file: string): number {
  return statSync(file).mode & 0o777;
}

/** Every file and directory below `dir`, with its mode. */
function modesBelow(dir: string): { file: string; mode: number; directory: boolean }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).map((entry) => {
    const file = path.join(entry.parentPath, entry.name);
    return { file, mode: modeOf(file), directory: entry.isDirectory() };
  });
}

async function startFails(dataDir: string): Promise<string> {
  try {
    const t = await createTestCore(dataDir);
    await t.close();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('the core started on an unsafe data directory');
}

afterEach(() => {
  for (const dir of made.splice(0)) removeDir(dir);
});

describe('data directory permissions', () => {
  it('tightens an existing 0755 directory and creates every file 0600, token files included', async () => {
    const dataDir = path.join(scratch(), 'srv-keyward');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const previousMask = process.umask(0o022);
    try {
      const t = await createTestCore(dataDir);
      try {
        await t.call('InitializeDefaultKeyStore', { KeyStorePassword: CANARY_PASSWORD });
        await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyUsage: 'ENCRYPT/DECRYPT' });
      } finally {
        await t.close();
      }
    } finally {
      process.umask(previousMask);
    }
    expect(modeOf(dataDir)).toBe(0o700);
    const entries = modesBelow(dataDir);
    expect(entries.some((entry) => entry.file.endsWith('registry.sqlite'))).toBe(true);
    expect(entries.some((entry) => entry.file.endsWith('.object'))).toBe(true);
    const open = entries.filter((entry) => (entry.mode & 0o077) !== 0);
    expect(open, 'files or directories other users can reach').toEqual([]);
  });

  it('tightens a registry left readable by an older build', async () => {
    const dataDir = scratch();
    const first = await createTestCore(dataDir);
    await first.close();
    chmodSync(path.join(dataDir, 'registry.sqlite'), 0o644);
    const notices: string[] = [];
    const again = await createTestCore(dataDir, { onNotice: (notice) => notices.push(notice) });
    await again.close();
    expect(modeOf(path.join(dataDir, 'registry.sqlite'))).toBe(0o600);
    expect(notices.join('\n')).toContain('tightened to 0600');
  });

  it('refuses a softhsm2.conf that other users may write, and a data directory that is a symbolic link', async () => {
    const dataDir = scratch();
    mkdirSync(path.join(dataDir, 'softhsm'), { mode: 0o700 });
    const planted = path.join(dataDir, 'softhsm', 'softhsm2.conf');
    writeFileSync(planted, 'directories.tokendir = /tmp/attacker-tokens\n');
    chmodSync(planted, 0o666);
    expect(await startFails(dataDir)).toContain('writable by other users');

    const link = path.join(scratch(), 'link-to-data');
    symlinkSync(scratch(), link);
    expect(await startFails(link)).toContain('not a plain directory');
  });

  it.skipIf(!isRoot)('refuses a data directory or a softhsm2.conf owned by another user', async () => {
    const foreignDir = scratch();
    chownSync(foreignDir, NOBODY, NOBODY);
    expect(await startFails(foreignDir)).toContain(`belongs to user ${NOBODY}`);

    const dataDir = scratch();
    mkdirSync(path.join(dataDir, 'softhsm'), { mode: 0o700 });
    const planted = path.join(dataDir, 'softhsm', 'softhsm2.conf');
    writeFileSync(planted, 'directories.tokendir = /tmp/attacker-tokens\n', { mode: 0o600 });
    chownSync(planted, NOBODY, NOBODY);
    expect(await startFails(dataDir)).toContain(`belongs to user ${NOBODY}`);
  });
});
