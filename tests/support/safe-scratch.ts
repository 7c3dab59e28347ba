import { lstatSync, mkdirSync, mkdtempSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** True when no directory from `dir` up to `/` can be written by group or others (sticky ones included). */
function chainIsPrivate(dir: string): boolean {
  for (let current = dir; ; current = path.dirname(current)) {
    let mode: number;
    try {
      mode = lstatSync(current).mode;
    } catch {
      return false;
    }
    if ((mode & 0o022) !== 0) return false;
    if (current === path.dirname(current)) return true;
  }
}

/**
 * A fresh directory no other user can write, nor any directory above it: the library trust rules
 * refuse every file below a world-writable directory such as /tmp, by design. The repository's
 * .cache when the checkout lives somewhere private, else the user's own ~/.cache (CI may clone
 * the repository under /tmp).
 */
export function safeScratchDir(prefix: string): string {
  for (const parent of [path.join(REPO, '.cache'), path.join(homedir(), '.cache', 'keyward-tests')]) {
    if (!chainIsPrivate(path.dirname(parent))) continue;
    mkdirSync(parent, { recursive: true, mode: 0o700 });
    if (chainIsPrivate(parent)) return mkdtempSync(path.join(parent, prefix));
  }
  throw new Error('no scratch directory is private all the way up (neither the checkout nor ~/.cache): the library trust tests need one');
}
