import { createPublicKey } from 'node:crypto';
import type { PublicKeyMaterial } from '../../hsm/types';

const JWK_CURVE = { 'P-256': 'P-256', secp256k1: 'secp256k1' } as const;

/** The HSM's public key attributes as PEM SubjectPublicKeyInfo, built by node's crypto, not by hand. */
export function publicKeyToPem(material: PublicKeyMaterial): string {
  if (material.kind === 'RSA') {
    return createPublicKey({
      format: 'jwk',
      key: { kty: 'RSA', n: base64url(material.modulus), e: base64url(material.publicExponent) },
    })
      .export({ format: 'pem', type: 'spki' })
      .toString();
  }
  const coordinateBytes = (material.point.length - 1) / 2;
  return createPublicKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: JWK_CURVE[material.curve],
      // EC coordinates keep their full width, leading zero bytes included.
      x: material.point.subarray(1, 1 + coordinateBytes).toString('base64url'),
      y: material.point.subarray(1 + coordinateBytes).toString('base64url'),
    },
  })
    .export({ format: 'pem', type: 'spki' })
    .toString();
}

/** JWK RSA integers are unsigned big-endian without leading zero bytes. */
function base64url(bytes: Buffer): string {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  return bytes.subarray(start).toString('base64url');
}
