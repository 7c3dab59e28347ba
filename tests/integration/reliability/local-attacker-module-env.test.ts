/**
 * R9 local attacker, module environment (issue 18, finding 1). Someone who can reach the
 * dispatcher without being the officer (a page in the browser host, another local user at its
 * socket) tries to run code in a PKCS#11 worker: NODE_OPTIONS / LD_PRELOAD / PATH in a module's
 * Environment (the reported attack, which ran and read the parent's key store password), variables
 * smuggled inside a permitted value, a library or a symbolic link planted in a world-writable
 * directory, and the refusal messages as an oracle for which of the officer's files exist.
 *
 * The attacker's files are planted by a second local user (`nobody`, through setpriv) when this
 * runs as root, by the same user otherwise. The calls travel the real browser host's WebSocket with
 * its one session (what a compromised page holds). Passing: no payload ever runs, no worker starts for
 * an attacker's spec, nothing is registered, and every refusal of a path reads the same.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KmsErrorBody } from '../../../shared/errors';
import {
  createTrustCore,
  injectionEnvironments,
  markerAppears,
  payloadScript,
  safeScratchDir,
  sharedTmpDir,
  type TrustCore,
} from '../../support/module-trust';
import { SOFTHSM_MODULE_PATH } from '../../support/softhsm';
import { writeFigures } from './support/figures';

const SETPRIV = '/usr/bin/setpriv';
const asSecondUser = process.getuid?.() === 0 && existsSync(SETPRIV);
const ATTACKER = asSecondUser ? 'nobody (a second local user, files planted through setpriv)' : 'the same user (not root: no second user available)';

let officerDir = '';
let attackerDir = '';
let t: TrustCore;

/** Runs a small Node script as the attacker: `nobody` when possible, else this user. */
function asAttacker(script: string, ...args: string[]): void {
  const node = ['-e', script, ...args];
  const run = asSecondUser
    ? spawnSync(SETPRIV, ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', process.execPath, ...node], { encoding: 'utf8', env: {} })
    : spawnSync(process.execPath, node, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`attacker script failed: ${run.stderr}`);
}

interface Planted {
  library: string;
  link: string;
  payload: string;
  marker: string;
}

function plant(): Planted {
  const planted = {
    library: path.join(attackerDir, 'libpkcs11-evil.so'),
    link: path.join(attackerDir, 'libsofthsm2.so'),
    payload: path.join(attackerDir, 'payload.cjs'),
    marker: path.join(attackerDir, 'payload-ran'),
  };
  asAttacker(
    "const fs = require('node:fs'); const [lib, link, payload, script, real] = process.argv.slice(1);" +
      'fs.copyFileSync(real, lib); fs.symlinkSync(real, link); fs.writeFileSync(payload, script);',
    planted.library,
    planted.link,
    planted.payload,
    payloadScript(planted.marker),
    SOFTHSM_MODULE_PATH,
  );
  return planted;
}

async function registeredModules(): Promise<unknown> {
  const listed = await t.call('ListModules', {}, 'ws');
  if (!listed.ok) throw new Error(listed.error.Message);
  return (listed.output as { Modules: unknown[] }).Modules;
}

beforeAll(async () => {
  officerDir = safeScratchDir('r9-officer-');
  attackerDir = sharedTmpDir('keyward-r9-attacker-');
  chmodSync(attackerDir, 0o1777); // like /tmp: anyone may plant files here
  t = await createTrustCore(path.join(officerDir, 'data'));
});

afterAll(async () => {
  await t.close();
  rmSync(officerDir, { recursive: true, force: true });
  rmSync(attackerDir, { recursive: true, force: true });
});

describe('R9 local attacker: module environment and library path', () => {
  it('runs no code, starts no worker, registers nothing, and leaks no file existence', async () => {
    const planted = plant();
    const launchesBefore = t.launcher.launches.length;
    const modulesBefore = await registeredModules();
    const answers: Record<string, number> = {};
    const findings: string[] = [];
    let attempts = 0;
    const attempt = async (what: string, input: unknown, transport: 'ws' | 'cli' = 'ws'): Promise<KmsErrorBody | null> => {
      attempts += 1;
      const outcome = await t.call('RegisterModule', input, transport);
      const code = outcome.ok ? 'OK' : outcome.error.Code;
      answers[code] = (answers[code] ?? 0) + 1;
      if (outcome.ok) {
        findings.push(`${what} over ${transport} was registered`);
        return null;
      }
      return outcome.error;
    };

    // 1. Loader variables, with a missing library (the reported attack) and with a real one.
    for (const Environment of injectionEnvironments(planted.marker, planted.payload)) {
      for (const Path of ['/nonexistent/x.so', SOFTHSM_MODULE_PATH, planted.library]) {
        const error = await attempt(`Environment ${Object.keys(Environment).join('+')}`, { Path, Name: 'x', Environment });
        if (error && error.Code !== 'InvalidParameter') findings.push(`Environment ${Object.keys(Environment).join('+')} answered ${error.Code}`);
      }
    }
    // 2. A second variable smuggled inside a permitted one.
    for (const value of [`/etc/softhsm2.conf\nNODE_OPTIONS=--require=${planted.payload}`, `/etc/softhsm2.conf\0NODE_OPTIONS=x`]) {
      const error = await attempt('a newline or NUL inside SOFTHSM2_CONF', { Path: SOFTHSM_MODULE_PATH, Name: 'x', Environment: { SOFTHSM2_CONF: value } });
      if (error && error.Code !== 'InvalidParameter') findings.push(`a smuggled variable answered ${error.Code}`);
    }
    // 3. The attacker's own library, and a link to a system library in the attacker's directory:
    //    refused over the socket and even for the officer's command line (another user can replace them).
    for (const transport of ['ws', 'cli'] as const) {
      for (const Path of [planted.library, planted.link]) {
        const error = await attempt(`planted ${path.basename(Path)}`, { Path, Name: 'x', Environment: {} }, transport);
        if (error && error.Code !== 'Forbidden.UntrustedModule') findings.push(`planted ${Path} over ${transport} answered ${error.Code}`);
      }
    }
    // 4. Existence oracle: the officer's files, files the attacker cannot see, and nothing at all.
    const probes = [path.join(officerDir, 'data', 'registry.sqlite'), '/root/.bashrc', '/etc/shadow', path.join(officerDir, 'data', 'absent.db'), '/root/absent/x.so', path.join(attackerDir, 'absent.so')];
    const messages = new Map<string, string>();
    for (const Path of probes) {
      const error = await attempt(`probe ${Path}`, { Path, Name: 'x', Environment: {} });
      messages.set(Path, error ? `${error.Code}: ${error.Message.split(Path).join('<path>')}` : 'OK');
    }
    if (new Set(messages.values()).size !== 1) findings.push(`refusals differ between probed paths: ${JSON.stringify([...messages])}`);

    const payloadRan = await markerAppears(planted.marker);
    if (payloadRan) findings.push('an injected payload ran');
    const launched = t.launcher.launches.length - launchesBefore;
    if (launched !== 0) findings.push(`${launched} worker(s) started for attacker input`);
    if (JSON.stringify(await registeredModules()) !== JSON.stringify(modulesBefore)) findings.push('the module list changed');

    writeFigures({
      suite: 'R9',
      title: 'Local attacker: module environment',
      lines: [
        `${attempts} RegisterModule attempts by ${ATTACKER}, through the dispatcher as the browser host's socket hands them over (the planted-file cases over the kms CLI too)`,
        `loader variables (NODE_OPTIONS inline and --require, LD_PRELOAD, LD_LIBRARY_PATH, PATH), variables smuggled after a newline or NUL, a planted library and a planted link, ${probes.length} existence probes`,
        `answers: ${Object.entries(answers).map(([code, count]) => `${code} ${count}`).join(', ')}`,
        `payload ran: ${payloadRan ? 'yes' : 'no'}; workers started: ${launched}; refusals of probed paths: ${new Set(messages.values()).size} distinct text(s)`,
      ],
      findings,
    });
    expect(findings).toEqual([]);
    expect(answers.OK).toBeUndefined();
  });
});
