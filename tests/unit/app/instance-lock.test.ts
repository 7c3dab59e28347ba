import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acquireInstanceLock,
  DataDirInUseError,
  isLiveKeywardProcess,
  liveLockHolder,
  LOCK_FILE,
} from '../../../electron/main/app/instance-lock';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'keyward-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lockPath = (): string => path.join(dir, LOCK_FILE);
const writeLock = (value: unknown): void => writeFileSync(lockPath(), typeof value === 'string' ? value : JSON.stringify(value));

describe('instance lock', () => {
  it('creates a private lock file naming this process, refuses a second taker, and releases it', () => {
    const lock = acquireInstanceLock(dir, 'browser-host');
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toMatchObject({ pid: process.pid, kind: 'browser-host' });
    expect(statSync(lockPath()).mode & 0o777).toBe(0o600);
    expect(() => acquireInstanceLock(dir, 'electron')).toThrow(DataDirInUseError);
    expect(() => acquireInstanceLock(dir, 'electron')).toThrow(`pid ${process.pid}`);
    expect(liveLockHolder(dir)).toMatchObject({ pid: process.pid });
    lock.release();
    lock.release();
    expect(() => statSync(lockPath())).toThrow();
    expect(liveLockHolder(dir)).toBeNull();
  });

  it('refuses a lock held by another live process', () => {
    writeLock({ pid: 4242, kind: 'browser-host', startedAt: '2026-01-01T00:00:00.000Z' });
    const error = (() => {
      try {
        acquireInstanceLock(dir, 'browser-host', { isAlive: (pid) => pid === 4242 });
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(DataDirInUseError);
    expect((error as Error).message).toContain('pid 4242');
    expect(liveLockHolder(dir, (pid) => pid === 4242)).toMatchObject({ pid: 4242, kind: 'browser-host' });
  });

  it.each([
    ['a dead pid', { pid: 4242, kind: 'browser-host', startedAt: 'x' }],
    ['our own pid, not held here (a previous process with the same pid)', { pid: process.pid, kind: 'browser-host', startedAt: 'x' }],
    ['an empty file', ''],
    ['garbage', 'not json'],
  ])('replaces a stale lock (%s) with a note', (_name, content) => {
    writeLock(content);
    const notes: string[] = [];
    const lock = acquireInstanceLock(dir, 'electron', { isAlive: () => false, note: (message) => notes.push(message) });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('stale lock');
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toMatchObject({ pid: process.pid, kind: 'electron' });
    lock.release();
  });

  it('does not remove a lock that another process took after ours was judged stale', () => {
    const lock = acquireInstanceLock(dir, 'browser-host');
    writeLock({ pid: 4242, kind: 'electron', startedAt: 'x' });
    lock.release();
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toMatchObject({ pid: 4242 });
  });

  it('tells a live node process from a dead pid or another program', () => {
    expect(isLiveKeywardProcess(process.pid)).toBe(true); // vitest runs in node
    expect(isLiveKeywardProcess(2 ** 22 + 12345)).toBe(false); // above pid_max
  });
});
