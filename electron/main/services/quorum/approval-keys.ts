/**
 * Officers' approval keys: what a public key is (EC P-256 or RSA 2048-4096), its fingerprint, and
 * whether a signature over a request digest is the key's. Officers sign the 32 digest bytes with
 * SHA-256 (`openssl dgst -sha256 -sign`, `pkcs11-tool --sign -m ECDSA-SHA256 | SHA256-RSA-PKCS`);
 * ECDSA signatures may be DER or raw r||s.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { KmsError } from '../../../../shared/errors';

export interface ApprovalPublicKey {
  pem: string;
  keySpec: string;
  fingerprint: string;
}

export function approvalPublicKey(pem: string): ApprovalPublicKey {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new KmsError('InvalidParameter', 'ApprovalKey.PublicKey is not a readable PEM public key.');
  }
  return describe(key);
}

export function describe(key: KeyObject): ApprovalPublicKey {
  const keySpec = keySpecOf(key);
  const der = key.export({ type: 'spki', format: 'der' });
  return { pem: key.export({ type: 'spki', format: 'pem' }).toString(), keySpec, fingerprint: createHash('sha256').update(der).digest('hex') };
}

function keySpecOf(key: KeyObject): string {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return 'EC_P256';
  if (key.asymmetricKeyType === 'rsa' && details?.modulusLength !== undefined && details.modulusLength >= 2048 && details.modulusLength <= 4096) {
    return `RSA_${details.modulusLength}`;
  }
  throw new KmsError('UnsupportedOperation', 'An approval key must be EC P-256 or RSA with 2048-4096 bits.');
}

/** True when `signature` is the key's over the digest's 32 bytes (SHA-256 as the signature's hash). */
export function verifiesDigest(pem: string, digestHex: string, signature: Buffer): boolean {
  const key = createPublicKey(pem);
  const data = Buffer.from(digestHex, 'hex');
  try {
    if (key.asymmetricKeyType === 'ec') {
      const encoding = signature.length === 64 ? 'ieee-p1363' : 'der';
      return verify('sha256', data, { key, dsaEncoding: encoding }, signature);
    }
    return verify('sha256', data, key, signature);
  } catch {
    return false;
  }
}
