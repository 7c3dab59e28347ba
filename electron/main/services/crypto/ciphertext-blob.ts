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
/**
 * A key of an external key store (double encryption):
 *   'K' 'W' | 0x02 | key id (16) | key version id (16) | proxy IV length (1) | proxy IV |
 *   proxy tag length (1) | proxy tag | ciphertextMetadata length (1) | ciphertextMetadata | proxy ciphertext
 * The proxy ciphertext seals the inner layer (IV (12) | HSM ciphertext || tag (16)), made like a
 * format-1 body under the key's own HSM version with this header as additional data.
 */
const EXTERNAL_FORMAT_VERSION = 2;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 1 + 16 + 16;

export interface CiphertextHeader {
  keyId: string;
  keyVersionId: string;
}

/** The layer an XKS proxy added around the inner layer (format 2). */
export interface OuterLayer {
  iv: Buffer;
  tag: Buffer;
  ciphertextMetadata: Buffer | null;
  ciphertext: Buffer;
}

export interface ParsedBlob extends CiphertextHeader {
  header: Buffer;
  /** Format 1: the HSM's IV and ciphertext || tag. Format 2: empty until the proxy removed its layer. */
  iv: Buffer;
  sealed: Buffer;
  /** Format 2 only. */
  outer?: OuterLayer;
}

export function encodeHeader({ keyId, keyVersionId }: CiphertextHeader, external = false): Buffer {
  return Buffer.concat([MAGIC, Buffer.from([external ? EXTERNAL_FORMAT_VERSION : FORMAT_VERSION]), uuidToBytes(keyId), uuidToBytes(keyVersionId)]);
}

export function assembleExternalBlob(header: Buffer, outer: OuterLayer): Buffer {
  const metadata = outer.ciphertextMetadata ?? Buffer.alloc(0);
  return Buffer.concat([header, Buffer.from([outer.iv.length]), outer.iv, Buffer.from([outer.tag.length]), outer.tag, Buffer.from([metadata.length]), metadata, outer.ciphertext]);
}

/** The inner layer a proxy seals: the HSM's IV and its ciphertext || tag. */
export function innerLayerOf(iv: Buffer, sealed: Buffer): Buffer {
  return Buffer.concat([iv, sealed]);
}

export function splitInnerLayer(inner: Buffer): { iv: Buffer; sealed: Buffer } {
  if (inner.length < IV_BYTES + TAG_BYTES) throw new KmsError('InvalidCiphertext', 'The ciphertext blob is damaged (its inner layer is too short).');
  return { iv: inner.subarray(0, IV_BYTES), sealed: inner.subarray(IV_BYTES) };
}

export function assembleBlob(header: Buffer, iv: Buffer, sealed: Buffer): Buffer {
  return Buffer.concat([header, iv, sealed]);
}

export function parseBlob(blob: Buffer): ParsedBlob {
  if (blob.length < HEADER_BYTES + IV_BYTES + TAG_BYTES || !blob.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new KmsError('InvalidCiphertext', 'The ciphertext blob is not a Keyward ciphertext.');
  }
  const format = blob[MAGIC.length];
  if (format === EXTERNAL_FORMAT_VERSION) return parseExternalBlob(blob);
  if (format !== FORMAT_VERSION) {
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

function parseExternalBlob(blob: Buffer): ParsedBlob {
  let offset = HEADER_BYTES;
  const field = (): Buffer => {
    const length = blob[offset];
    if (length === undefined || offset + 1 + length > blob.length) throw new KmsError('InvalidCiphertext', 'The ciphertext blob is damaged (truncated).');
    const value = blob.subarray(offset + 1, offset + 1 + length);
    offset += 1 + length;
    return value;
  };
  const iv = field();
  const tag = field();
  const metadata = field();
  const ciphertext = blob.subarray(offset);
  if (iv.length === 0 || tag.length === 0 || ciphertext.length < IV_BYTES + TAG_BYTES) {
    throw new KmsError('InvalidCiphertext', 'The ciphertext blob is damaged (its outer layer is incomplete).');
  }
  return {
    header: blob.subarray(0, HEADER_BYTES),
    keyId: bytesToUuid(blob.subarray(3, 19)),
    keyVersionId: bytesToUuid(blob.subarray(19, 35)),
    iv: Buffer.alloc(0),
    sealed: Buffer.alloc(0),
    outer: { iv, tag, ciphertextMetadata: metadata.length > 0 ? metadata : null, ciphertext },
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
