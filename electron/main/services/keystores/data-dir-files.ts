import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { ensurePrivateDirectory, ensurePrivateFile } from '../private-files';
import { defaultKeyStorePaths } from './default-key-store';
import { repointTokenDirectory } from './token-dir-location';

const REGISTRY_FILES = ['registry.sqlite', 'registry.sqlite-wal', 'registry.sqlite-shm'];

/**
 * Checked at every start, before the registry or a worker opens anything: the data directory, the
 * registry files and the default key store's SoftHSM2 configuration and token files must be this
 * user's own. Throws UnsafePathError for a plant; returns notices for what it tightened, and for a
 * SoftHSM2 configuration it pointed back at this directory's tokens (a moved or copied data directory).
 */
export function securePrivateFiles(dataDir: string): string[] {
  const notices: (string | null)[] = [ensurePrivateDirectory(dataDir, 'The data directory')];
  for (const name of REGISTRY_FILES) notices.push(ensurePrivateFile(path.join(dataDir, name), 'The registry file'));
  const softHsm = defaultKeyStorePaths(dataDir);
  notices.push(ensurePrivateFile(softHsm.confPath, 'The default key store configuration'));
  notices.push(ensurePrivateDirectory(softHsm.softHsmDir, 'The default key store directory'));
  // Only once the configuration and its directory are known to be ours: it is rewritten in place.
  notices.push(repointTokenDirectory(softHsm.confPath, softHsm.tokenDir));
  notices.push(ensurePrivateDirectory(softHsm.tokenDir, 'The default key store directory'));
  for (const tokenDir of subdirectories(softHsm.tokenDir)) {
    notices.push(ensurePrivateDirectory(tokenDir, 'The default key store token'));
    for (const file of entries(tokenDir).filter((entry) => entry.isFile() || entry.isSymbolicLink())) {
      notices.push(ensurePrivateFile(path.join(tokenDir, file.name), 'The default key store token file'));
    }
  }
  return notices.filter((notice): notice is string => notice !== null);
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function subdirectories(dir: string): string[] {
  return entries(dir)
    .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
    .map((entry) => path.join(dir, entry.name));
}
