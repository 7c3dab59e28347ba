import { createHash, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import type { InstanceCaSigner } from '../access/access-seams';
import { serverNamesFor } from './server-names';

/** The endpoint's TLS certificate is short-lived: a week, renewed by maintenance after a day. */
const SERVER_CERTIFICATE_DAYS = 7;

/** Six days of margin: a default key store locked for a while (the CA cannot sign) does not stop the endpoint. */
export const SERVER_CERTIFICATE_RENEW_AFTER_MS = 24 * 3_600_000;

export interface ServerIdentity {
  certificatePem: string;
  /** Never exported or written: the endpoint's key dies with the process or the next stop. */
  privateKey: KeyObject;
  certificateSha256: string;
}

/** A fresh P-256 key pair in memory and its certificate for the bind address, signed by the instance CA inside the HSM. */
export async function issueServerIdentity(ca: InstanceCaSigner, bindAddress: string): Promise<ServerIdentity> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const certificatePem = await ca.issueServerCertificate(serverNamesFor(bindAddress), spki, SERVER_CERTIFICATE_DAYS);
  const certificateSha256 = createHash('sha256').update(new X509Certificate(certificatePem).raw).digest('hex');
  return { certificatePem, privateKey, certificateSha256 };
}
