import type { SigningAlgorithm } from '../../../shared/contract';
import { bytesToBase64, utf8ToBase64 } from './encoding';

/** SHA-256 of the UTF-8 message, base64: the Digest that AsymmetricSign/Verify take. */
export async function sha256Base64(message: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(message));
  return bytesToBase64(new Uint8Array(digest));
}

/**
 * The `Digest` field of AsymmetricSign/Verify for this algorithm: the SHA-256 digest of the message,
 * except for ED25519_SHA_512 (pure EdDSA), which signs the message itself.
 */
export async function signingDigest(algorithm: SigningAlgorithm, message: string): Promise<string> {
  return algorithm === 'ED25519_SHA_512' ? utf8ToBase64(message) : sha256Base64(message);
}

/** Whether the key store sees only a digest of the message (false: it sees the message). */
export function signsDigestOnly(algorithm: SigningAlgorithm | null): boolean {
  return algorithm !== 'ED25519_SHA_512';
}
