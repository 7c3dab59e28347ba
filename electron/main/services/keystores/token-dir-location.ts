/**
 * SoftHSM2 reads its token directory from softhsm2.conf as an absolute path; it has no relative
 * form. A data directory that was moved or copied (restored from a backup, carried to another
 * workstation) still names the old place, where SoftHSM2 finds no token, or, worse, the original's
 * token while this copy's registry goes its own way. At start the configuration is pointed back at
 * the token directory inside this data directory.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const TOKEN_DIR_LINE = /^[ \t]*directories\.tokendir[ \t]*=[ \t]*(.*?)[ \t]*$/m;

/** Returns a notice when it rewrote the configuration; null when it was right or does not exist yet. */
export function repointTokenDirectory(confPath: string, tokenDir: string): string | null {
  let conf: string;
  try {
    conf = readFileSync(confPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const named = TOKEN_DIR_LINE.exec(conf)?.[1];
  if (named === tokenDir) return null;
  const line = `directories.tokendir = ${tokenDir}`;
  const updated = named === undefined ? `${line}\n${conf}` : conf.replace(TOKEN_DIR_LINE, line);
  // A new file renamed over the old one: a crash leaves either configuration, never half of one.
  const temporary = `${confPath}.new`;
  writeFileSync(temporary, updated, { mode: 0o600 });
  renameSync(temporary, confPath);
  return `The default key store configuration named the token directory ${named ?? '(none)'}; the data directory was moved or copied, so it now names ${tokenDir}.`;
}
