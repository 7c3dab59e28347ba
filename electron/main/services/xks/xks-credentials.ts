import { randomBytes } from 'node:crypto';

/*
 * SigV4 credentials of an XKS proxy, made as the XKS Proxy API specification asks (Appendix A;
 * "XKS Proxy Configuration File"): an access_key_id of 20-30 characters of A-Z and 2-7 that reveals
 * nothing about the secret (independent random bytes), and a secret_access_key of at least 256 bits
 * of entropy in the Base64 alphabet AWS KMS accepts (A-Z a-z 0-9 + / =), 43-64 characters.
 */

export const ACCESS_KEY_ID_PATTERN = /^[A-Z2-7]{20,30}$/;
export const SECRET_ACCESS_KEY_PATTERN = /^[A-Za-z0-9+/=]{43,64}$/;

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ACCESS_KEY_ID_LENGTH = 20;
const SECRET_BYTES = 32;

/** RFC 4648 base32 without padding. */
export function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let text = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) text += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return text;
}

/** 20 base32 characters (100 random bits: unique without coordination). */
export function newAccessKeyId(): string {
  return base32(randomBytes(13)).slice(0, ACCESS_KEY_ID_LENGTH);
}

/**
 * 32 random bytes in standard base64 without its padding: 43 characters. (base64url would put - and
 * _ in it, which AWS KMS refuses in a RawSecretAccessKey.) The caller zeroes the buffer after use.
 */
export function newSecretAccessKey(): Buffer {
  const bytes = randomBytes(SECRET_BYTES);
  try {
    return Buffer.from(bytes.toString('base64').replace(/=+$/, ''), 'ascii');
  } finally {
    bytes.fill(0);
  }
}
