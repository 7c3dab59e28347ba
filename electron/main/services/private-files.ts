/**
 * The data directory holds the registry, the audit chain and the default key store's token files.
 * Other local users are untrusted: everything in it must be the officer's own and closed to them.
 * A directory or file someone else owns (or may write) could be a plant, such as a softhsm2.conf
 * pointing the default store at a token directory of theirs, so it is refused, not "fixed".
 * What is the officer's own but too open (an old 0755 directory, a registry made 0644 under the
 * umask) is tightened, and the caller is told so it can say it.
 */
import { chmodSync, lstatSync, mkdirSync, type Stats } from 'node:fs';

export class UnsafePathError extends Error {}

const GROUP_OTHER_BITS = 0o077;
const GROUP_OTHER_WRITE = 0o022;

function currentUid(): number {
  return process.getuid?.() ?? -1;
}

function describeMode(stats: Stats): string {
  return `0${(stats.mode & 0o777).toString(8)}`;
}

/**
 * Creates `dir` (0700) when missing, refuses it when it is a symbolic link or not owned by this
 * user, and removes group/other permissions when present. Returns a notice when it tightened.
 */
export function ensurePrivateDirectory(dir: string, what: string): string | null {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stats = lstatSync(dir);
  if (stats.isSymbolicLink() || !stats.isDirectory()) {
    throw new UnsafePathError(`${what} ${dir} is not a plain directory (a symbolic link or a file); refusing to use it.`);
  }
  assertOwned(stats, dir, what);
  if ((stats.mode & GROUP_OTHER_BITS) === 0) return null;
  chmodSync(dir, 0o700);
  return `${what} ${dir} was ${describeMode(stats)}; tightened to 0700 so other users cannot read it.`;
}

/**
 * For a file Keyward made (registry, WAL, config): refuses one that is a link, not a regular file
 * or owned by another user, and tightens a readable one to 0600. A missing file is fine.
 */
export function ensurePrivateFile(file: string, what: string): string | null {
  let stats: Stats;
  try {
    stats = lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (stats.isSymbolicLink() || !stats.isFile()) {
    throw new UnsafePathError(`${what} ${file} is not a regular file (a symbolic link or a device); refusing to use it.`);
  }
  assertOwned(stats, file, what);
  if ((stats.mode & GROUP_OTHER_BITS) === 0) return null;
  if ((stats.mode & GROUP_OTHER_WRITE) !== 0) {
    // Writable by others: it may already hold their content, so it cannot be trusted by tightening.
    throw new UnsafePathError(`${what} ${file} is writable by other users (${describeMode(stats)}); refusing to trust it. Check its content, then chmod 600 it.`);
  }
  chmodSync(file, 0o600);
  return `${what} ${file} was ${describeMode(stats)}; tightened to 0600.`;
}

function assertOwned(stats: Stats, path: string, what: string): void {
  const uid = currentUid();
  if (uid >= 0 && stats.uid !== uid) {
    throw new UnsafePathError(`${what} ${path} belongs to user ${stats.uid}, not to this user (${uid}); refusing to use it.`);
  }
}
