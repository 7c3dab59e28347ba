/**
 * The offline check of what the audit signing key signed (audit exports, ceremony transcripts): a
 * DER ECDSA-SHA256 signature over the exact bytes, which is what `openssl dgst -sha256 -verify`
 * checks.
 */
import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { KmsError } from '../../../../shared/errors';

export function parseSigningPublicKey(pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch {
    throw new KmsError('InvalidParameter', 'SigningPublicKey is not a PEM public key.');
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Whether `signatureBase64` is a DER ECDSA-SHA256 signature by `key` over `data`; `reason` says why not. */
export function checkDerSignature(data: Buffer, signatureBase64: string, key: KeyObject): { valid: boolean; reason: 'not base64' | 'mismatch' | null } {
  if (!BASE64.test(signatureBase64)) return { valid: false, reason: 'not base64' };
  let valid: boolean;
  try {
    valid = verifySignature('sha256', data, { key, dsaEncoding: 'der' }, Buffer.from(signatureBase64, 'base64'));
  } catch {
    // A key of another type, or a signature that is not DER: either way it does not verify.
    valid = false;
  }
  return { valid, reason: valid ? null : 'mismatch' };
}
