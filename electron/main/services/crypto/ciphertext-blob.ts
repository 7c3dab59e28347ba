import { KmsError } from '../../../../shared/errors';
import { canonicalContext } from './encryption-context';

/**
 * Self-describing ciphertext: Decrypt needs no key id.
 *   'K' 'W' | format 0x01 | key id (16) | key version id (16) | IV (12) | ciphertext || GCM tag (16)
 * The header and the canonical encryption context are the GCM additional data, so moving a blob to
 * another key or dropping its context fails authentication inside the HSM.
 */
const MAGIC = Buffer.from('KW', 'ascii');
const FORMAT_VERSION = 1;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 1 + 16 + 16;

export interface CiphertextHeader {
  keyId: string;
  keyVersionId: string;
}

export interface ParsedBlob extends CiphertextHeader {
  header: Buffer;
  iv: Buffer;
  sealed: Buffer;
}

export function encodeHeader({ keyId, keyVersionId }: CiphertextHeader): Buffer {
  return Buffer.concat([MAGIC, Buffer.from([FORMAT_VERSION]), uuidToBytes(keyId), uuidToBytes(keyVersionId)]);
}

export function assembleBlob(header: Buffer, iv: Buffer, sealed: Buffer): Buffer {
  return Buffer.concat([header, iv, sealed]);
}

export function parseBlob(blob: Buffer): ParsedBlob {
  if (blob.length < HEADER_BYTES + IV_BYTES + TAG_BYTES || !blob.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new KmsError('InvalidCiphertext', 'The ciphertext blob is not a Keyward ciphertext.');
  }
  if (blob[MAGIC.length] !== FORMAT_VERSION) {
    throw new KmsError('InvalidCiphertext', 'The ciphertext blob has an unknown format version.');
  }
  const header = blob.subarray(0, HEADER_BYTES);
  return {
    header,
    keyId: bytesToUuid(blob.subarray(3, 19)),
    keyVersionId: bytesToUuid(blob.subarray(19, 35)),
    iv: blob.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES),
    sealed: blob.subarray(HEADER_BYTES + IV_BYTES),
  };
}

export function additionalData(header: Buffer, context: Record<string, string> | undefined): Buffer {
  return Buffer.concat([header, Buffer.from(canonicalContext(context), 'utf8')]);
}

export function uuidToBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

export function bytesToUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
