/**
 * The ClusterOwnerCertificate: a self-signed X.509 certificate over the cluster owner key, built by
 * @peculiar/x509 and signed inside the HSM. The library signs through a WebCrypto `Crypto`; ours
 * delegates everything to Node's WebCrypto except `sign` with the owner key, which hashes the TBS
 * certificate and has the HSM sign the digest (CKM_ECDSA gives raw r||s, WebCrypto's format).
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import type * as x509 from '@peculiar/x509';
import { loadX509 } from './x509';
import { KmsError } from '../../../../shared/errors';
import { publicKeyToSpki, type PublicKeyMaterial } from '../../hsm';

type CryptoKey = webcrypto.CryptoKey;
type Crypto = webcrypto.Crypto;
type BufferSource = webcrypto.BufferSource;
type EcdsaParams = webcrypto.EcdsaParams;

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const VALIDITY_YEARS = 10;

/** A handle the HSM-backed `sign` recognizes; it holds no key material. */
function hsmKeyHandle(): CryptoKey {
  return { type: 'private', algorithm: EC_P256, extractable: false, usages: ['sign'] } as unknown as CryptoKey;
}

function hsmBackedCrypto(handle: CryptoKey, signDigest: (digest: Buffer) => Promise<Buffer>): Crypto {
  const subtle = webcrypto.subtle;
  const sign = async (algorithm: unknown, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer> => {
    if (key !== handle) return subtle.sign(algorithm as EcdsaParams, key, data);
    const bytes = ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
    const raw = await signDigest(createHash('sha256').update(bytes).digest());
    return raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer;
  };
  // SubtleCrypto methods check their receiver, so everything else is bound to the real one.
  const proxied = new Proxy(subtle, {
    get(target, property) {
      if (property === 'sign') return sign;
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    subtle: proxied,
    getRandomValues: webcrypto.getRandomValues.bind(webcrypto),
    randomUUID: webcrypto.randomUUID.bind(webcrypto),
  } as unknown as Crypto;
}

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
      // Positive 16-byte serial: clear the top bit so DER needs no sign byte.
      serialNumber: Buffer.from(randomBytes(16).map((byte, index) => (index === 0 ? byte & 0x7f : byte))).toString('hex'),
      name: [{ CN: [`Keyward cluster owner ${request.clusterName}`] }, { O: ['Keyward'] }, { OU: [request.clusterId] }],
      notBefore: request.now,
      notAfter,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
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
