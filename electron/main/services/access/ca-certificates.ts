/**
 * The certificates of the instance CA, built by @peculiar/x509 and signed inside the HSM
 * (certificates/hsm-signing-crypto.ts): the CA's own self-signed certificate, TLS server
 * certificates for the application endpoint and client certificates for application access points.
 */
import { isIP } from 'node:net';
import { webcrypto } from 'node:crypto';
import type * as x509 from '@peculiar/x509';
import { KmsError } from '../../../../shared/errors';
import { EC_P256, ECDSA_SHA256, hsmBackedCrypto, hsmKeyHandle, randomSerialNumber, type DigestSigner } from '../certificates/hsm-signing-crypto';
import { loadX509 } from '../clusters/x509';

const CA_VALIDITY_YEARS = 10;
/** Leaf certificates start a little in the past: a client whose clock is slightly behind still accepts them. */
const LEAF_BACKDATE_MS = 5 * 60_000;

export interface IssuedCertificate {
  pem: string;
  der: Buffer;
  /** Hex, as in the certificate. */
  serialNumber: string;
}

export interface CaIdentity {
  /** The CA's public key (SPKI DER); its private key signs through `signDigest`. */
  publicKeySpki: Buffer;
  signDigest: DigestSigner;
}

/** The CA's self-signed certificate: CA:true pathlen 0, keyCertSign|cRLSign, ten years. */
export async function createCaCertificate(ca: CaIdentity, organizationalUnit: string, now: Date): Promise<IssuedCertificate> {
  const lib = await loadX509();
  const publicKey = await webcrypto.subtle.importKey('spki', ca.publicKeySpki, EC_P256, true, ['verify']);
  const privateKey = hsmKeyHandle();
  const crypto = hsmBackedCrypto(privateKey, ca.signDigest);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CA_VALIDITY_YEARS);
  const certificate = await lib.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerialNumber(),
      name: [{ CN: ['Keyward instance CA'] }, { O: ['Keyward'] }, { OU: [organizationalUnit] }],
      notBefore: now,
      notAfter,
      signingAlgorithm: ECDSA_SHA256,
      keys: { publicKey, privateKey },
      extensions: [
        new lib.BasicConstraintsExtension(true, 0, true),
        new lib.KeyUsagesExtension(lib.KeyUsageFlags.keyCertSign | lib.KeyUsageFlags.cRLSign, true),
        await lib.SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return checked(certificate, certificate);
}

function isLoopback(address: string): boolean {
  const family = isIP(address);
  return family === 4 ? address.startsWith('127.') : family === 6 ? address === '::1' : address === 'localhost';
}

/** Which names a server certificate carries: each address as an IP (or DNS) name, and `localhost` when one is loopback. */
export function serverAlternativeNames(addresses: readonly string[]): x509.JsonGeneralName[] {
  const all = addresses.some(isLoopback) ? [...addresses, 'localhost'] : [...addresses];
  return [...new Set(all)].map((value) => ({ type: isIP(value) === 0 ? 'dns' : 'ip', value }));
}

export interface LeafRequest {
  caCertificatePem: string;
  /** Signs with the CA's private key inside the HSM. */
  signDigest: DigestSigner;
  subject: x509.JsonName;
  publicKeySpki: Buffer;
  notBefore: Date;
  notAfter: Date;
  usage: { kind: 'server'; addresses: readonly string[] } | { kind: 'client' };
}

/** A leaf certificate signed by the CA in the HSM: CA:false, the EKU of its use, AKI naming the CA's key. */
export async function issueLeafCertificate(request: LeafRequest, now: Date): Promise<IssuedCertificate> {
  if (!(request.notAfter.getTime() > request.notBefore.getTime())) {
    throw new KmsError('InvalidParameter', 'NotAfter must be later than NotBefore.');
  }
  const lib = await loadX509();
  const caCertificate = new lib.X509Certificate(request.caCertificatePem);
  const signingKey = hsmKeyHandle();
  const crypto = hsmBackedCrypto(signingKey, request.signDigest);
  const publicKey = await lib.PublicKey.create(request.publicKeySpki, crypto);
  const isServer = request.usage.kind === 'server';
  const extensions: x509.Extension[] = [
    new lib.BasicConstraintsExtension(false, undefined, true),
    // digitalSignature alone: TLS 1.2+ here always uses (EC)DHE, so no key is ever encrypted to the leaf.
    new lib.KeyUsagesExtension(lib.KeyUsageFlags.digitalSignature, true),
    new lib.ExtendedKeyUsageExtension([isServer ? lib.ExtendedKeyUsage.serverAuth : lib.ExtendedKeyUsage.clientAuth], false),
    await lib.SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
    await lib.AuthorityKeyIdentifierExtension.create(caCertificate.publicKey, false, crypto),
  ];
  if (request.usage.kind === 'server') extensions.push(new lib.SubjectAlternativeNameExtension(serverAlternativeNames(request.usage.addresses), false));
  const notBefore = request.usage.kind === 'server' ? new Date(Math.min(request.notBefore.getTime(), now.getTime() - LEAF_BACKDATE_MS)) : request.notBefore;
  const certificate = await lib.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialNumber(),
      subject: request.subject,
      issuer: caCertificate.subjectName,
      notBefore,
      notAfter: request.notAfter,
      signingAlgorithm: ECDSA_SHA256,
      publicKey,
      signingKey,
      extensions,
    },
    crypto,
  );
  return checked(certificate, caCertificate);
}

/** The HSM's signature must verify with the CA's public key, checked outside the HSM. */
async function checked(certificate: x509.X509Certificate, issuer: x509.X509Certificate): Promise<IssuedCertificate> {
  if (!(await certificate.verify({ publicKey: issuer.publicKey, signatureOnly: true }, webcrypto))) {
    throw new KmsError('HsmError.Generic', 'The HSM produced a certificate signature that does not verify.');
  }
  return { pem: certificate.toString('pem'), der: Buffer.from(certificate.rawData), serialNumber: certificate.serialNumber };
}
