/**
 * Issue 18, finding 4: `kms` kept KMS_DEFAULT_KEYSTORE_PASSWORD, KMS_CLUSTER_KEYSTORE_PASSWORD and
 * the --pin-env / --secret-env variables in process.env for its whole life, so every process it
 * started inherited them. It now moves them into memory before the core starts. A probe loaded
 * into a real kms process reports, when the process exits, which of them process.env still holds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CANARY_PASSWORD, removeDir } from '../../support/test-core';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const work = mkdtempSync(path.join(tmpdir(), 'keyward-cli-secrets-'));
const PROBE = path.join(work, 'probe.mjs');
writeFileSync(
  PROBE,
  [
    "import { writeFileSync } from 'node:fs';",
    'const names = JSON.parse(process.env.KW_PROBE_NAMES);',
    'const out = process.env.KW_PROBE_OUT;',
    "process.on('exit', () => writeFileSync(out, JSON.stringify(names.filter((name) => name in process.env))));",
    '',
  ].join('\n'),
);

afterAll(() => removeDir(work));

/** Runs kms with the probe; returns the secret variables still in its process.env at exit. */
function remainingAtExit(args: string[], secrets: Record<string, string>, label: string): Promise<{ code: number | null; remaining: string[] }> {
  const out = path.join(work, `${label}.json`);
  const names = [...Object.keys(secrets), 'KMS_DATA_DIR'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', PROBE, path.join(REPO, 'electron/cli/kms.ts'), ...args], {
      cwd: REPO,
      env: { ...process.env, ...secrets, KMS_DATA_DIR: path.join(work, `data-${label}`), KW_PROBE_NAMES: JSON.stringify(names), KW_PROBE_OUT: out },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, remaining: JSON.parse(readFileSync(out, 'utf8')) as string[] });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    child.stdin.end('');
  });
}

describe('kms takes its secrets out of process.env before the core starts', () => {
  it('the key store passwords and the --pin-env variable', async () => {
    const secrets = { KMS_DEFAULT_KEYSTORE_PASSWORD: CANARY_PASSWORD, KMS_CLUSTER_KEYSTORE_PASSWORD: CANARY_PASSWORD, KW_OFFICER_PIN: CANARY_PASSWORD };
    const result = await remainingAtExit(['ListModules', '--pin-env', 'KW_OFFICER_PIN'], secrets, 'passwords');
    expect(result.code).toBe(0); // the password still unlocked the default key store
    expect(result.remaining).toEqual(['KMS_DATA_DIR']);
  });

  it('the --secret-env variable', async () => {
    const secrets = { KW_STORE_SECRET: CANARY_PASSWORD };
    const result = await remainingAtExit(['ConnectKeyStore', '--KeyStoreId', 'kst-default', '--secret-env', 'KeyStorePassword=KW_STORE_SECRET'], secrets, 'secret-env');
    expect(result.remaining).toEqual(['KMS_DATA_DIR']);
  });
});
