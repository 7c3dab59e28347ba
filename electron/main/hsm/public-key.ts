/**
 * PublicKeyMaterial (what the token holds) → node KeyObject / SPKI DER / PEM, for callers that
 * publish public keys (GetPublicKey, certificates) or verify outside the HSM.
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { CURVE_BYTES } from './der';
import type { PublicKeyMaterial } from './types';

export function publicKeyToJwk(material: PublicKeyMaterial): JsonWebKey {
  if (material.kind === 'RSA') {
    return { kty: 'RSA', n: material.modulus.toString('base64url'), e: material.publicExponent.toString('base64url') };
  }
  if (material.kind === 'ED25519') return { kty: 'OKP', crv: 'Ed25519', x: material.publicKey.toString('base64url') };
  const size = CURVE_BYTES[material.curve];
  if (material.point.length !== 1 + 2 * size || material.point[0] !== 0x04) {
    throw new RangeError('expected an uncompressed EC point');
  }
  return {
    kty: 'EC',
    crv: material.curve,
    x: material.point.subarray(1, 1 + size).toString('base64url'),
    y: material.point.subarray(1 + size).toString('base64url'),
  };
}

export function publicKeyToKeyObject(material: PublicKeyMaterial): KeyObject {
  return createPublicKey({ key: publicKeyToJwk(material), format: 'jwk' });
}

/** DER SubjectPublicKeyInfo. */
export function publicKeyToSpki(material: PublicKeyMaterial): Buffer {
  return publicKeyToKeyObject(material).export({ type: 'spki', format: 'der' });
}

export function publicKeyToPem(material: PublicKeyMaterial): string {
  return publicKeyToKeyObject(material).export({ type: 'spki', format: 'pem' }).toString();
}
