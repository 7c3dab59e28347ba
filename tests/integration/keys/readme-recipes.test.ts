/**
 * The README's key pair import and Ed25519 recipes, run word for word by `sh` with the real `kms`
 * CLI (separate processes), openssl and jq: what the README tells an officer to type must work.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKms } from '../../support/run-cli';
import { CANARY_PASSWORD, removeDir } from '../../support/test-core';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The ```sh block of README.md that contains `marker`, without the list indentation around it. */
function readmeBlock(marker: string): string {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  for (const match of readme.matchAll(/^( *)```sh\n([\s\S]*?)^\1```$/gm)) {
    const indent = match[1]?.length ?? 0;
    const block = (match[2] ?? '').split('\n').map((line) => line.slice(indent)).join('\n');
    if (block.includes(marker)) return block;
  }
  throw new Error(`README.md has no sh block with ${marker}`);
}

describe('README recipes: key pair import and Ed25519, through kms, openssl and jq', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'keyward-readme-'));
  const work = mkdtempSync(path.join(tmpdir(), 'keyward-readme-work-'));
  const env = { KMS_DATA_DIR: dataDir, KMS_DEFAULT_KEYSTORE_PASSWORD: CANARY_PASSWORD };
  /** Runs a README block in `work`, `kms` being this checkout's CLI; `after` adds checks in the same shell. */
  const runRecipe = (block: string, after: string): string =>
    execFileSync('sh', ['-ec', `kms() { (cd "$REPO" && node --import tsx electron/cli/kms.ts "$@"); }\n${block}\n${after}`], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, ...env, REPO: repoRoot },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  beforeAll(async () => {
    const initialized = await runKms(['InitializeDefaultKeyStore'], { env: { KMS_DATA_DIR: dataDir }, stdin: `${CANARY_PASSWORD}\n` });
    expect(initialized.code, initialized.stderr).toBe(0);
  }, 60_000);
  afterAll(() => {
    removeDir(dataDir);
    removeDir(work);
  });

  it('imports the EC private key openssl made: the key is Enabled and GetPublicKey gives its public key', async () => {
    runRecipe(readmeBlock('RSA_AES_KEY_WRAP_SHA_1'), 'echo "$KEY" > key-id');
    const keyId = readFileSync(path.join(work, 'key-id'), 'utf8').trim();
    const described = await runKms(['DescribeKey', '--KeyId', keyId], { env });
    expect(described.json.KeyMetadata).toMatchObject({ KeySpec: 'EC_P256', Origin: 'EXTERNAL', KeyState: 'Enabled' });
    const publicKey = await runKms(['GetPublicKey', '--KeyId', keyId], { env });
    expect(publicKey.json.PublicKey).toBe(execFileSync('openssl', ['pkey', '-in', 'private.pem', '-pubout'], { cwd: work, encoding: 'utf8' }));
  }, 120_000);

  it('signs with Ed25519 and openssl pkeyutl -rawin verifies it', () => {
    const forged = 'printf forged > msg\nif openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in msg -sigfile sig >/dev/null; then echo FORGERY-ACCEPTED; fi';
    const output = runRecipe(readmeBlock('ED25519_SHA_512'), forged);
    expect(output).toContain('Signature Verified Successfully');
    expect(output).not.toContain('FORGERY-ACCEPTED');
  }, 120_000);
});
