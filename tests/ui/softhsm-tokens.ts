import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KeywardHost } from './fixtures';
import { callHost } from './host-call';

export const SOFTHSM_MODULE = process.env.KEYWARD_SOFTHSM_MODULE ?? '/usr/lib/softhsm/libsofthsm2.so';

export interface LabHsm {
  /** Registered module name, as the wizard lists it. */
  name: string;
  moduleId: string;
  confPath: string;
}

/**
 * Test-only stand-ins for separate HSMs: one SoftHSM2 installation per "device" (its own token
 * directory and softhsm2.conf, one blank token slot each), each registered as a module through
 * RegisterModule with Environment {SOFTHSM2_CONF}. Nothing of this is in the product surface.
 */
export async function createLabHsms(host: KeywardHost, names: readonly string[]): Promise<{ hsms: LabHsm[]; cleanup(): Promise<void> }> {
  const root = await mkdtemp(path.join(tmpdir(), 'keyward-ui-hsms-'));
  const hsms: LabHsm[] = [];
  for (const name of names) {
    const dir = path.join(root, name.replace(/[^A-Za-z0-9]+/g, '-'));
    const tokenDir = path.join(dir, 'tokens');
    await mkdir(tokenDir, { recursive: true, mode: 0o700 });
    const confPath = path.join(dir, 'softhsm2.conf');
    await writeFile(confPath, [`directories.tokendir = ${tokenDir}`, 'objectstore.backend = file', 'log.level = ERROR', ''].join('\n'), {
      mode: 0o600,
    });
    const output = (await callHost(host, 'RegisterModule', {
      Path: SOFTHSM_MODULE,
      Name: name,
      Environment: { SOFTHSM2_CONF: confPath },
    })) as { ModuleId: string };
    hsms.push({ name, moduleId: output.ModuleId, confPath });
  }
  return { hsms, cleanup: () => rm(root, { recursive: true, force: true }) };
}
