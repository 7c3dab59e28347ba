import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KmsErrorBody } from '../../../shared/errors';

/**
 * One long-running Keyward process per data directory. The browser host and the Electron app hold
 * HSM sessions and the key stores' connection state in memory; a second process on the same
 * registry would disagree with the first about both. Electron's own single-instance lock covers its
 * user-data directory only, not KMS_DATA_DIR shared with a browser host.
 */
export const LOCK_FILE = 'keyward.lock';

export type LockKind = 'browser-host' | 'electron' | 'endpoint';

export interface LockHolder {
  pid: number;
  kind: string;
  startedAt: string;
}

export interface InstanceLock {
  readonly holder: LockHolder;
  /** Removes the lock file if it is still ours; safe to call more than once. */
  release(): void;
}

export class DataDirInUseError extends Error {
  readonly holder: LockHolder;
  constructor(dataDir: string, holder: LockHolder) {
    super(
      `The data directory ${dataDir} is in use by another Keyward process (${holder.kind}, pid ${holder.pid}, since ${holder.startedAt}). ` +
        'Stop that process first, or use its console.',
    );
    this.name = 'DataDirInUseError';
    this.holder = holder;
  }
}

/** Paths this process holds a lock on, so a lock naming our own pid is told apart from a stale one. */
const heldHere = new Set<string>();

export interface AcquireOptions {
  /** Where a replaced stale lock is reported. */
  note?: (message: string) => void;
  /** Whether a pid belongs to a live Keyward-capable process; replaceable in tests. */
  isAlive?: (pid: number) => boolean;
}

/**
 * Takes `<dataDir>/keyward.lock` (created exclusively with link(2), mode 0600, holding {pid, kind, startedAt}),
 * replacing a stale one. Throws DataDirInUseError when a live process holds it. Released on exit.
 */
export function acquireInstanceLock(dataDir: string, kind: LockKind, options: AcquireOptions = {}): InstanceLock {
  const lockPath = path.join(dataDir, LOCK_FILE);
  const isAlive = options.isAlive ?? isLiveKeywardProcess;
  const holder: LockHolder = { pid: process.pid, kind, startedAt: new Date().toISOString() };
  const content = `${JSON.stringify(holder)}\n`;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      createExclusively(lockPath, content);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const existing = readLock(lockPath);
      if (existing.holder && holderIsLive(lockPath, existing.holder, isAlive)) throw new DataDirInUseError(dataDir, existing.holder);
      if (removeStale(lockPath, existing.raw)) {
        options.note?.(`Keyward: replaced a stale lock on ${dataDir} (${describe(existing.holder)}, no longer running)`);
      }
      continue;
    }
    heldHere.add(lockPath);
    const release = (): void => {
      process.off('exit', release);
      if (!heldHere.delete(lockPath)) return;
      // Only our own file: a process that judged ours stale (it should not) keeps its lock.
      if (readLock(lockPath).raw === content) unlinkQuietly(lockPath);
    };
    process.on('exit', release);
    return { holder, release };
  }
  throw new Error(`Could not take the lock ${lockPath}: it keeps changing under us`);
}

/** The live process holding the data directory, if any (for short commands that must not run beside it). */
export function liveLockHolder(dataDir: string, isAlive: (pid: number) => boolean = isLiveKeywardProcess): LockHolder | null {
  const lockPath = path.join(dataDir, LOCK_FILE);
  const { holder } = readLock(lockPath);
  return holder && holderIsLive(lockPath, holder, isAlive) ? holder : null;
}

/** What the CLI answers when a console holds the data directory (exit code 2: not run at all). */
export function dataDirInUseBody(dataDir: string, holder: LockHolder): KmsErrorBody {
  return {
    Code: 'Forbidden.DataDirInUse',
    Message:
      `The data directory ${dataDir} is held by a running Keyward console (${holder.kind}, pid ${holder.pid}). ` +
      'Its HSM sessions and key store connection state live in that process, and a second process must not open ' +
      'the registry and tokens beside it: stop the console first, or do this in the console.',
    RequestId: '',
  };
}

function holderIsLive(lockPath: string, holder: LockHolder, isAlive: (pid: number) => boolean): boolean {
  // Our own pid in a lock we do not hold: a previous process that had our pid (e.g. in a container).
  if (holder.pid === process.pid) return heldHere.has(lockPath);
  return isAlive(holder.pid);
}

/**
 * A pid that exists and runs node or electron (or the packaged app). A bare pid test would call a
 * lock live forever once the pid is reused by an unrelated process after a crash.
 */
export function isLiveKeywardProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  let name: string;
  try {
    name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim().toLowerCase();
  } catch {
    return process.platform !== 'linux'; // no /proc to ask: trust the pid
  }
  return /node|electron|keyward/.test(name);
}

interface LockRead {
  raw: string | null;
  /** Null for a missing, empty or unreadable lock (a crash between create and write): stale. */
  holder: LockHolder | null;
}

function readLock(lockPath: string): LockRead {
  let raw: string;
  try {
    raw = readFileSync(lockPath, 'utf8');
  } catch {
    return { raw: null, holder: null };
  }
  try {
    const value = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && Number.isSafeInteger(value.pid) && value.pid > 0) {
      return { raw, holder: { pid: value.pid, kind: String(value.kind ?? 'unknown'), startedAt: String(value.startedAt ?? 'unknown') } };
    }
  } catch {
    // not JSON: treated as stale below
  }
  return { raw, holder: null };
}

/**
 * Writes the whole content under a private name, then links it into place: link(2) fails with EEXIST
 * like O_EXCL, and unlike `open(wx)` + write there is no moment when the lock exists but is empty (which
 * a second process would have to judge stale or live without knowing).
 */
function createExclusively(lockPath: string, content: string): void {
  const staging = `${lockPath}.${process.pid}.new`;
  unlinkQuietly(staging); // a leftover of a crashed process that had our pid
  writeFileSync(staging, content, { mode: 0o600 });
  try {
    linkSync(staging, lockPath);
  } finally {
    unlinkQuietly(staging);
  }
}

/**
 * Moves the stale lock aside and checks that what moved is what we judged stale; if another process
 * replaced it meanwhile, puts theirs back (link fails if yet another took the name: theirs wins).
 */
function removeStale(lockPath: string, judged: string | null): boolean {
  if (judged === null) return false; // already gone: just retry the create
  const aside = `${lockPath}.stale-${process.pid}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return false;
  }
  const moved = readLock(aside).raw;
  if (moved !== judged) {
    try {
      linkSync(aside, lockPath);
    } catch {
      // someone holds the name again; their lock stands
    }
    unlinkQuietly(aside);
    return false;
  }
  unlinkQuietly(aside);
  return true;
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

function describe(holder: LockHolder | null): string {
  return holder ? `${holder.kind}, pid ${holder.pid}, since ${holder.startedAt}` : 'unreadable';
}
