// SHA256SUMS over the release artifacts (`sha256sum -c SHA256SUMS` checks it), and, when the
// team's signing key is given, its detached signature:
//   KEYWARD_SIGN_GPG_KEY=<key id or fingerprint>   → SHA256SUMS.asc (gpg --verify SHA256SUMS.asc SHA256SUMS)
//   KEYWARD_SIGN_OPENSSL_KEY=<private key PEM file> → SHA256SUMS.sig
//     (openssl dgst -sha256 -verify public.pem -signature SHA256SUMS.sig SHA256SUMS)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

function sha256File(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Writes `dir`/SHA256SUMS for `artifacts` (paths inside `dir`); returns its path. */
export function writeChecksums(dir, artifacts) {
  const lines = artifacts.map((file) => `${sha256File(file)}  ${basename(file)}`).sort((a, b) => a.slice(66).localeCompare(b.slice(66)));
  const sums = join(dir, 'SHA256SUMS');
  writeFileSync(sums, `${lines.join('\n')}\n`);
  return sums;
}

function run(cmd, args, env) {
  const result = spawnSync(cmd, args, { stdio: ['inherit', 'inherit', 'inherit'], env });
  if (result.status !== 0) throw new Error(`${cmd} failed (${result.error?.message ?? `exit ${result.status}`}); the checksums are not signed`);
}

/** Signs `sums` with the key the environment names; returns the signature's path, or null when no key is given. */
export function signChecksums(sums, env = process.env) {
  if (env.KEYWARD_SIGN_GPG_KEY && env.KEYWARD_SIGN_OPENSSL_KEY) {
    throw new Error('set KEYWARD_SIGN_GPG_KEY or KEYWARD_SIGN_OPENSSL_KEY, not both');
  }
  if (env.KEYWARD_SIGN_GPG_KEY) {
    const signature = `${sums}.asc`;
    run('gpg', ['--batch', '--yes', '--local-user', env.KEYWARD_SIGN_GPG_KEY, '--armor', '--detach-sign', '--output', signature, sums], env);
    return signature;
  }
  if (env.KEYWARD_SIGN_OPENSSL_KEY) {
    const signature = `${sums}.sig`;
    run('openssl', ['dgst', '-sha256', '-sign', env.KEYWARD_SIGN_OPENSSL_KEY, '-out', signature, sums], env);
    return signature;
  }
  return null;
}
