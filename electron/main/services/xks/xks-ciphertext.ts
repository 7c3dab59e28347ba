import { createHash } from 'node:crypto';
import { bytesToUuid, uuidToBytes } from '../crypto/ciphertext-blob';

/*
 * The byte layouts the XKS Proxy API specification fixes (Encrypt, "ciphertextMetadata";
 * Appendix C), and Keyward's ciphertextMetadata: format 0x01 followed by the 16 bytes of the key
 * version that encrypted (17 bytes; the spec allows 20), so rotation does not strand ciphertext.
 */

const METADATA_FORMAT = 0x01;
export const CIPHERTEXT_METADATA_BYTES = 17;
/** Largest AAD the spec requires a proxy to accept; the 2-byte length prefix would allow more. */
export const MAX_XKS_AAD_BYTES = 8192;
/** Largest plaintext (and ciphertext) the spec requires a proxy to accept. */
export const MAX_XKS_PLAINTEXT_BYTES = 4300;
export const XKS_TAG_BYTES = 16;

export function encodeCiphertextMetadata(keyVersionId: string): Buffer {
  return Buffer.concat([Buffer.from([METADATA_FORMAT]), uuidToBytes(keyVersionId)]);
}

/** The key version named by a ciphertextMetadata; null when it is not Keyward's (the ciphertext is then invalid). */
export function decodeCiphertextMetadata(metadata: Buffer): string | null {
  if (metadata.length !== CIPHERTEXT_METADATA_BYTES || metadata[0] !== METADATA_FORMAT) return null;
  return bytesToUuid(metadata.subarray(1));
}

/**
 * The AAD given to the HSM: 2-byte big-endian length of additionalAuthenticatedData || AAD ||
 * 1-byte length of ciphertextMetadata || ciphertextMetadata (absent fields count as length 0),
 * so the tag covers the metadata and AAD cannot be moved into metadata or back.
 */
export function hsmAdditionalData(aad: Buffer | null, ciphertextMetadata: Buffer | null): Buffer {
  const data = aad ?? Buffer.alloc(0);
  const metadata = ciphertextMetadata ?? Buffer.alloc(0);
  if (data.length > 0xffff || metadata.length > 0xff) throw new RangeError('AAD or ciphertext metadata too long for its length prefix');
  const aadLength = Buffer.alloc(2);
  aadLength.writeUInt16BE(data.length);
  return Buffer.concat([aadLength, data, Buffer.from([metadata.length]), metadata]);
}

/**
 * The ciphertextDataIntegrityValue (Appendix C): SHA-256 over the decoded AAD (if present in the
 * request) || ciphertextMetadata (if present) || initializationVector || ciphertext ||
 * authenticationTag, with no lengths (it guards against bit flips, not an adversary).
 */
export function ciphertextDataIntegrityValue(parts: { aad: Buffer | null; ciphertextMetadata: Buffer | null; iv: Buffer; ciphertext: Buffer; tag: Buffer }): Buffer {
  const hash = createHash('sha256');
  if (parts.aad) hash.update(parts.aad);
  if (parts.ciphertextMetadata) hash.update(parts.ciphertextMetadata);
  return hash.update(parts.iv).update(parts.ciphertext).update(parts.tag).digest();
}
