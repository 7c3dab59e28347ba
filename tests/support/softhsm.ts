/**
 * A throw-away SoftHSM2 installation for tests: a temp dir with its own token directory and
 * softhsm2.conf, and the ModuleSpec that points the worker at it. Real module, no mocks.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ModuleSpec } from '../../electron/main/hsm/types';

export const SOFTHSM_MODULE_PATH = process.env.KEYWARD_SOFTHSM_MODULE ?? '/usr/lib/softhsm/libsofthsm2.so';

export interface SoftHsmFixture {
  dir: string;
  confPath: string;
  tokenDir: string;
  moduleSpec: ModuleSpec;
  cleanup(): Promise<void>;
}

export async function createSoftHsmFixture(prefix = 'keyward-softhsm-'): Promise<SoftHsmFixture> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  const tokenDir = path.join(dir, 'tokens');
  await mkdir(tokenDir, { mode: 0o700 });
  const confPath = path.join(dir, 'softhsm2.conf');
  await writeFile(
    confPath,
    [`directories.tokendir = ${tokenDir}`, 'objectstore.backend = file', 'log.level = ERROR', ''].join('\n'),
    { mode: 0o600 },
  );
  return {
    dir,
    confPath,
    tokenDir,
    moduleSpec: { path: SOFTHSM_MODULE_PATH, env: { SOFTHSM2_CONF: confPath } },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
