/**
 * The ClusterOwnerCertificate: a self-signed X.509 certificate over the cluster owner key, built by
 * @peculiar/x509 and signed inside the HSM (certificates/hsm-signing-crypto.ts).
 */
import { webcrypto } from 'node:crypto';
import type * as x509 from '@peculiar/x509';
import { loadX509 } from './x509';
import { KmsError } from '../../../../shared/errors';
import { publicKeyToSpki, type PublicKeyMaterial } from '../../hsm';
import { EC_P256, ECDSA_SHA256, hsmBackedCrypto, hsmKeyHandle, randomSerialNumber } from '../certificates/hsm-signing-crypto';

const VALIDITY_YEARS = 10;

export interface OwnerCertificateRequest {
  clusterId: string;
  clusterName: string;
  publicKey: PublicKeyMaterial;
  now: Date;
  /** Signs a SHA-256 digest with the owner private key inside the HSM; returns raw r||s. */
  signDigest(digest: Buffer): Promise<Buffer>;
}

export async function createOwnerCertificate(request: OwnerCertificateRequest): Promise<string> {
  if (request.publicKey.kind !== 'EC' || request.publicKey.curve !== 'P-256') {
    throw new KmsError('InternalFailure', 'The cluster owner key must be an EC P-256 key.');
  }
  const publicKey = await webcrypto.subtle.importKey('spki', publicKeyToSpki(request.publicKey), EC_P256, true, ['verify']);
  const privateKey = hsmKeyHandle();
  const crypto = hsmBackedCrypto(privateKey, request.signDigest);
  const notAfter = new Date(request.now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);
  const lib = await loadX509();
  const certificate = await lib.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerialNumber(),
      name: [{ CN: [`Keyward cluster owner ${request.clusterName}`] }, { O: ['Keyward'] }, { OU: [request.clusterId] }],
      notBefore: request.now,
      notAfter,
      signingAlgorithm: ECDSA_SHA256,
      keys: { publicKey, privateKey },
      extensions: [
        new lib.BasicConstraintsExtension(true, undefined, true),
        new lib.KeyUsagesExtension(lib.KeyUsageFlags.keyCertSign | lib.KeyUsageFlags.cRLSign | lib.KeyUsageFlags.digitalSignature, true),
        await lib.SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
      ],
    },
    crypto,
  );
  // The HSM's signature must verify with the public key it certifies, checked outside the HSM.
  if (!(await certificate.verify({ signatureOnly: true }, webcrypto))) {
    throw new KmsError('HsmError.Generic', 'The HSM produced a certificate signature that does not verify.');
  }
  return certificate.toString('pem');
}

/** Whether the PEM is a self-signed certificate over exactly this public key. */
export async function certificateMatchesKey(pem: string, publicKey: PublicKeyMaterial): Promise<boolean> {
  const lib = await loadX509();
  let certificate: x509.X509Certificate;
  try {
    certificate = new lib.X509Certificate(pem);
  } catch {
    return false;
  }
  const spki = Buffer.from(certificate.publicKey.rawData);
  if (!spki.equals(publicKeyToSpki(publicKey))) return false;
  try {
    return await certificate.verify({ signatureOnly: true }, webcrypto);
  } catch {
    return false;
  }
}
