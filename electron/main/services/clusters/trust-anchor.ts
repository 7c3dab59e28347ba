/**
 * Checks a trust anchor (a ClusterOwnerCertificate PEM) against the cluster owner key inside the
 * first member HSM: the HSM signs a fresh random challenge with the owner key, and the signature
 * must verify with the certificate's public key, which must also be the key the HSM reports.
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import type * as x509 from '@peculiar/x509';
import { loadX509 } from './x509';
import { KmsError } from '../../../../shared/errors';
import { OWNER_KEY_OBJECT_ID } from './cluster-objects';
import { memberToken, type Member } from './cluster-members';
import { certificateMatchesKey } from './owner-certificate';

/** Whether the PEM parses as a certificate at all (a clear InvalidParameter otherwise). */
export async function parseCertificate(pem: string): Promise<x509.X509Certificate> {
  const lib = await loadX509();
  try {
    return new lib.X509Certificate(pem);
  } catch {
    throw new KmsError('InvalidParameter', 'TrustAnchorCertificate is not a readable PEM X.509 certificate.');
  }
}

export async function trustAnchorMatches(owner: Member, pem: string): Promise<boolean> {
  const certificate = await parseCertificate(pem);
  const challenge = randomBytes(32);
  const digest = createHash('sha256').update(challenge).digest();
  const { signature, publicKey } = await memberToken(owner).ownerSign({ objectId: OWNER_KEY_OBJECT_ID, digest });
  if (!(await certificateMatchesKey(pem, publicKey))) return false;
  const key = await certificate.publicKey.export({ name: 'ECDSA', namedCurve: 'P-256' }, ['verify'], webcrypto);
  return webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, challenge);
}
