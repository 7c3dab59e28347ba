import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KmsClient } from './kms-client';

export const SOFTHSM_MODULE = process.env.KEYWARD_SOFTHSM_MODULE ?? '/usr/lib/softhsm/libsofthsm2.so';

export interface LabHsm {
  /** Registered module name, as the console lists it. */
  name: string;
  moduleId: string;
  confPath: string;
}

/**
 * Stand-ins for separate HSMs: one SoftHSM2 installation per "device" (its own token directory and
 * softhsm2.conf, one blank token slot each), each registered as a module through RegisterModule with
 * Environment {SOFTHSM2_CONF}. The cluster wizard then initializes their tokens.
 */
export async function createLabHsms(kms: KmsClient, names: readonly string[]): Promise<{ hsms: LabHsm[]; cleanup(): Promise<void> }> {
  const root = await mkdtemp(path.join(tmpdir(), 'keyward-ui-hsms-'));
  const hsms: LabHsm[] = [];
  try {
    for (const name of names) {
      const dir = path.join(root, name.replace(/[^A-Za-z0-9]+/g, '-'));
      const tokenDir = path.join(dir, 'tokens');
      await mkdir(tokenDir, { recursive: true, mode: 0o700 });
      const confPath = path.join(dir, 'softhsm2.conf');
      await writeFile(confPath, [`directories.tokendir = ${tokenDir}`, 'objectstore.backend = file', 'log.level = ERROR', ''].join('\n'), {
        mode: 0o600,
      });
      const { ModuleId } = await kms.call('RegisterModule', { Path: SOFTHSM_MODULE, Name: name, Environment: { SOFTHSM2_CONF: confPath } });
      hsms.push({ name, moduleId: ModuleId, confPath });
    }
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return { hsms, cleanup: () => rm(root, { recursive: true, force: true }) };
}
