/**
 * SHA256SUMS and its detached signature, as `npm run package` makes them: checked with the tools a
 * receiving team uses (sha256sum, openssl, gpg), with throwaway keys made here.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signChecksums, writeChecksums } from '../../../build/package/checksums.mjs';

function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { status: number | null; out: string } {
  const result = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('SHA256SUMS and its signature', () => {
  let dir = '';
  let sums = '';
  const keys = mkdtempSync(path.join(tmpdir(), 'keyward-signing-keys-'));

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'keyward-signing-'));
    writeFileSync(path.join(dir, 'keyward_9.9.9_amd64.deb'), 'a package');
    writeFileSync(path.join(dir, 'keyward-9.9.9.cdx.json'), '{"bomFormat":"CycloneDX"}');
    sums = writeChecksums(dir, [path.join(dir, 'keyward_9.9.9_amd64.deb'), path.join(dir, 'keyward-9.9.9.cdx.json')]);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(keys, { recursive: true, force: true });
  });

  it('lists every artifact in the format sha256sum -c checks', () => {
    expect(readFileSync(sums, 'utf8').trim().split('\n')).toHaveLength(2);
    const check = run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir });
    expect(check.status).toBe(0);
    expect(check.out).toContain('keyward_9.9.9_amd64.deb: OK');
  });

  it('is left unsigned without a key, and refuses two keys at once', () => {
    expect(signChecksums(sums, {})).toBeNull();
    expect(() => signChecksums(sums, { KEYWARD_SIGN_GPG_KEY: 'x', KEYWARD_SIGN_OPENSSL_KEY: 'y' })).toThrow(/not both/);
  });

  it('is signed with an openssl key, and the signature fails once SHA256SUMS changes', () => {
    const key = path.join(keys, 'release.pem');
    const publicKey = path.join(keys, 'release.pub.pem');
    expect(run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]).status).toBe(0);
    expect(run('openssl', ['pkey', '-in', key, '-pubout', '-out', publicKey]).status).toBe(0);
    const signature = signChecksums(sums, { ...process.env, KEYWARD_SIGN_OPENSSL_KEY: key });
    expect(signature).toBe(`${sums}.sig`);
    const verify = (): number | null => run('openssl', ['dgst', '-sha256', '-verify', publicKey, '-signature', `${sums}.sig`, sums]).status;
    expect(verify()).toBe(0);
    const original = readFileSync(sums);
    appendFileSync(sums, '0000  planted.deb\n');
    expect(verify()).not.toBe(0);
    writeFileSync(sums, original);
  });

  it('is signed with a gpg key, and gpg --verify fails once SHA256SUMS changes', () => {
    const home = mkdtempSync(path.join(keys, 'gnupg-'));
    const env = { ...process.env, GNUPGHOME: home };
    const made = run('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', 'Keyward release test <release@keyward.invalid>', 'ed25519', 'sign', 'never'], { env });
    expect(made.status).toBe(0);
    const signature = signChecksums(sums, { ...env, KEYWARD_SIGN_GPG_KEY: 'release@keyward.invalid' });
    expect(signature).toBe(`${sums}.asc`);
    expect(readFileSync(`${sums}.asc`, 'utf8')).toContain('-----BEGIN PGP SIGNATURE-----');
    const verify = (): { status: number | null; out: string } => run('gpg', ['--verify', `${sums}.asc`, sums], { env });
    expect(verify()).toMatchObject({ status: 0, out: expect.stringContaining('Good signature') });
    const original = readFileSync(sums);
    appendFileSync(sums, '0000  planted.deb\n');
    expect(verify().status).not.toBe(0);
    writeFileSync(sums, original);
  });
});
