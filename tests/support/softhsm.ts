/**
 * A throw-away SoftHSM2 installation for tests: a temp dir with its own token directory and
 * softhsm2.conf, and the ModuleSpec that points the worker at it. Real module, no mocks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

function tokenSerials(confPath: string): Set<string> {
  const show = spawnSync('softhsm2-util', ['--show-slots'], { env: { ...process.env, SOFTHSM2_CONF: confPath }, encoding: 'utf8' });
  return new Set([...show.stdout.matchAll(/Serial number:[ \t]+([0-9a-f]+)/g)].flatMap((match) => (match[1] ? [match[1]] : [])));
}

/**
 * Initializes the next free token of the fixture with softhsm2-util, as an HSM vendor or an
 * administrator would before Keyward sees it; returns its serial.
 */
export function initializeTokenWithUtil(fixture: SoftHsmFixture, label: string, soPin: string): string {
  const before = tokenSerials(fixture.confPath);
  const init = spawnSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--so-pin', soPin, '--pin', `${soPin}-user`], {
    env: { ...process.env, SOFTHSM2_CONF: fixture.confPath },
    encoding: 'utf8',
  });
  if (init.status !== 0) throw new Error(`softhsm2-util --init-token failed: ${init.stderr}`);
  const serial = [...tokenSerials(fixture.confPath)].find((candidate) => !before.has(candidate));
  if (!serial) throw new Error('softhsm2-util shows no serial for the new token');
  return serial;
}

/**
 * SIGKILLs the PKCS#11 worker processes this test process started for the fixture's module (found
 * by their SOFTHSM2_CONF), as a native crash would: their logins and sessions are gone. Returns
 * the pids killed, once they have exited.
 */
export async function killWorkersOf(fixture: SoftHsmFixture): Promise<number[]> {
  const marker = `SOFTHSM2_CONF=${fixture.confPath}`;
  const workers = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        const parent = /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
        return Number(parent) === process.pid && readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(marker);
      } catch {
        return false; // gone meanwhile
      }
    });
  for (const pid of workers) process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100 && workers.some((pid) => existsSync(`/proc/${pid}/status`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return workers;
}
