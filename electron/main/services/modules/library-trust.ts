/**
 * Whether a PKCS#11 library may be loaded. Loading a library runs its code with the officer's
 * rights, so RegisterModule accepts without asking only files that root installed in a system
 * library directory: the file and every directory on the way to it (symbolic links followed, each
 * link's directory included) owned by root and writable by no group or other user. A file of the
 * officer's own in a safe place needs the officer's word (the kms command line, the trusted-modules
 * list, the app's confirmation); anything another user could replace is never loaded.
 */
import { lstatSync, readFileSync, readlinkSync, realpathSync, type Stats } from 'node:fs';
import path from 'node:path';

export type LibraryTrust =
  /** Root's file in a trusted directory: loaded on request. */
  | 'trusted'
  /** A safe file outside the trusted directories: loaded only when the officer confirms it. */
  | 'needs-officer'
  /** Missing, not a regular file, or replaceable by another user: never loaded. */
  | 'refused';

export interface LibraryAssessment {
  trust: LibraryTrust;
  /** The file the path resolves to, when it resolves. */
  realPath: string | null;
}

/** Where distributions and HSM vendors install PKCS#11 libraries (/opt: vendor clients). */
export const DEFAULT_TRUSTED_MODULE_DIRS: readonly string[] = ['/usr/lib', '/usr/lib64', '/usr/local/lib', '/lib', '/lib64', '/opt'];

export interface LibraryTrustOptions {
  trustedDirs: readonly string[];
  /** The user Keyward runs as: their own files may be loaded once they confirm. */
  uid: number;
}

const ROOT_UID = 0;
const MAX_SYMLINKS = 40;
const WRITABLE_BY_GROUP_OR_OTHERS = 0o022;

interface Visited {
  path: string;
  stats: Stats;
}

/**
 * Resolves `target` one component at a time, as the loader will, and returns every directory
 * and the final file it passes through (the directories holding symbolic links included, since
 * whoever can write them can re-point the link). Null when the path does not resolve.
 */
function walk(target: string): { realPath: string; visited: Visited[] } | null {
  const visited: Visited[] = [{ path: '/', stats: lstatSync('/') }];
  const pending = target.split('/').filter((part) => part !== '');
  let current = '/';
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '.') continue;
    if (part === '..') {
      current = path.dirname(current);
      continue;
    }
    const next = path.join(current, part);
    let stats: Stats;
    try {
      stats = lstatSync(next);
    } catch {
      return null;
    }
    if (stats.isSymbolicLink()) {
      links += 1;
      if (links > MAX_SYMLINKS) return null;
      const link = readlinkSync(next);
      if (link.startsWith('/')) current = '/';
      pending.unshift(...link.split('/').filter((piece) => piece !== ''));
      continue;
    }
    if (pending.length > 0 && !stats.isDirectory()) return null;
    visited.push({ path: next, stats });
    current = next;
  }
  return { realPath: current, visited };
}

function writableByOthers(stats: Stats): boolean {
  return (stats.mode & WRITABLE_BY_GROUP_OR_OTHERS) !== 0;
}

function realDirs(dirs: readonly string[]): string[] {
  return dirs.flatMap((dir) => {
    try {
      return [realpathSync(dir)];
    } catch {
      return [];
    }
  });
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

export function assessLibrary(libraryPath: string, options: LibraryTrustOptions): LibraryAssessment {
  if (!path.isAbsolute(libraryPath)) return { trust: 'refused', realPath: null };
  const resolved = walk(libraryPath);
  const file = resolved?.visited.at(-1);
  if (!resolved || !file?.stats.isFile()) return { trust: 'refused', realPath: null };
  const { realPath, visited } = resolved;
  const safe = visited.every(({ stats }) => !writableByOthers(stats) && (stats.uid === ROOT_UID || stats.uid === options.uid));
  if (!safe) return { trust: 'refused', realPath };
  const rootOwned = visited.every(({ stats }) => stats.uid === ROOT_UID);
  const inTrustedDir = realDirs(options.trustedDirs).some((dir) => isInside(realPath, dir));
  return { trust: rootOwned && inTrustedDir ? 'trusted' : 'needs-officer', realPath };
}

/**
 * The officer's list of confirmed libraries, `<data dir>/trusted-modules`: one absolute path per
 * line, `#` comments. Ignored unless it is a regular file of the officer's (or root's) that no
 * one else can read or write (mode 0600), so another user cannot add to it.
 */
export function readTrustedModuleList(file: string, uid: number): ReadonlySet<string> {
  try {
    const stats = lstatSync(file);
    if (!stats.isFile() || (stats.uid !== uid && stats.uid !== ROOT_UID) || (stats.mode & 0o077) !== 0) return new Set();
    const lines = readFileSync(file, 'utf8').split(/\r?\n/).map((line) => line.trim());
    return new Set(lines.filter((line) => line.startsWith('/')));
  } catch {
    return new Set();
  }
}
