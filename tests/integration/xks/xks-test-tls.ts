/**
 * Throwaway TLS identities for XKS proxies that tests stand up themselves: a self-signed P-256
 * certificate for 127.0.0.1, made by the system's openssl as an operator would make one.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestTlsIdentity {
  /** PEM; self-signed, so it is also the CA a client is given. */
  cert: string;
  key: string;
}

export function selfSignedIdentity(commonName: string): TestTlsIdentity {
  const dir = mkdtempSync(path.join(tmpdir(), 'keyward-xks-tls-'));
  try {
    const [certFile, keyFile] = [path.join(dir, 'cert.pem'), path.join(dir, 'key.pem')];
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${commonName}`,
      '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
