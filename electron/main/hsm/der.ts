/**
 * The few DER structures the hsm layer handles itself: named-curve OIDs for CKA_EC_PARAMS (and
 * the Ed25519 ones), the OCTET STRING around CKA_EC_POINT, the SHA-256 DigestInfo prefix for CKM_RSA_PKCS, and the
 * conversion of raw ECDSA r||s (what PKCS#11 returns) to the DER SEQUENCE that X.509/KMS use.
 */

export type EcCurve = 'P-256' | 'secp256k1';

/** DER-encoded OBJECT IDENTIFIERs: prime256v1 1.2.840.10045.3.1.7, secp256k1 1.3.132.0.10. */
const CURVE_OIDS: Readonly<Record<EcCurve, Buffer>> = {
  'P-256': Buffer.from('06082a8648ce3d030107', 'hex'),
  secp256k1: Buffer.from('06052b8104000a', 'hex'),
};

/** Field size in bytes of each supported curve (length of r, s, X and Y). */
export const CURVE_BYTES: Readonly<Record<EcCurve, number>> = { 'P-256': 32, secp256k1: 32 };

export function ecParamsForCurve(curve: EcCurve): Buffer {
  return Buffer.from(CURVE_OIDS[curve]);
}

export function curveFromEcParams(params: Buffer): EcCurve | null {
  for (const [curve, oid] of Object.entries(CURVE_OIDS) as [EcCurve, Buffer][]) {
    if (oid.equals(params)) return curve;
  }
  return null;
}

/**
 * CKA_EC_PARAMS of Ed25519 keys: we write the RFC 8410 OID id-Ed25519 (1.3.101.112); PKCS#11 v3.0
 * also allows the PrintableString "edwards25519", which is what SoftHSM2 2.6 stores and reports.
 */
const ED25519_OID = Buffer.from('06032b6570', 'hex');
const ED25519_CURVE_NAME = Buffer.from('130c656477617264733235353139', 'hex');
export const ED25519_PUBLIC_KEY_BYTES = 32;

export function ed25519EcParams(): Buffer {
  return Buffer.from(ED25519_OID);
}

export function isEd25519EcParams(params: Buffer): boolean {
  return params.equals(ED25519_OID) || params.equals(ED25519_CURVE_NAME);
}

/** The RFC 8032 public key inside CKA_EC_POINT of an Ed25519 key (an OCTET STRING, or bare on a few tokens). */
export function ed25519PointFromAttribute(value: Buffer): Buffer | null {
  if (value.length === 2 + ED25519_PUBLIC_KEY_BYTES && value[0] === 0x04 && value[1] === ED25519_PUBLIC_KEY_BYTES) {
    return Buffer.from(value.subarray(2));
  }
  return value.length === ED25519_PUBLIC_KEY_BYTES ? Buffer.from(value) : null;
}

/** DigestInfo ::= SEQUENCE { AlgorithmIdentifier sha256 NULL, OCTET STRING(32) }, minus the digest. */
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

export function sha256DigestInfo(digest: Buffer): Buffer {
  if (digest.length !== 32) throw new RangeError('a SHA-256 digest is 32 bytes');
  return Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]);
}

/** Reads one DER TLV at `offset`; returns null unless it is well formed and inside `der`. */
function readTlv(der: Buffer, offset: number): { tag: number; start: number; end: number } | null {
  const tag = der[offset];
  let lengthByte = der[offset + 1];
  if (tag === undefined || lengthByte === undefined) return null;
  let start = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 2) return null; // indefinite or absurdly long for our structures
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = der[start + i];
      if (lengthByte === undefined) return null;
      length = length * 256 + lengthByte;
    }
    start += count;
  }
  const end = start + length;
  return end <= der.length ? { tag, start, end } : null;
}

/**
 * CKA_EC_POINT is specified as a DER OCTET STRING holding the uncompressed point 04||X||Y;
 * a few tokens return the bare point. Returns the bare point, or null if neither shape fits.
 */
export function ecPointFromAttribute(value: Buffer, curve: EcCurve): Buffer | null {
  const pointLength = 1 + 2 * CURVE_BYTES[curve];
  const tlv = readTlv(value, 0);
  if (tlv && tlv.tag === 0x04 && tlv.end === value.length && tlv.end - tlv.start === pointLength) {
    const point = value.subarray(tlv.start, tlv.end);
    if (point[0] === 0x04) return Buffer.from(point);
  }
  if (value.length === pointLength && value[0] === 0x04) return Buffer.from(value);
  return null;
}

function derInteger(unsigned: Buffer): Buffer {
  let i = 0;
  while (i < unsigned.length - 1 && unsigned[i] === 0) i++;
  let body = unsigned.subarray(i);
  // A set high bit would read as negative: prefix a zero byte.
  if ((body[0] ?? 0) & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return Buffer.concat([Buffer.from([0x02, body.length]), body]);
}

/** Raw r||s (IEEE P1363) → DER `SEQUENCE { INTEGER r, INTEGER s }`. */
export function ecdsaRawToDer(raw: Buffer): Buffer {
  if (raw.length === 0 || raw.length % 2 !== 0 || raw.length > 132) throw new RangeError('invalid raw ECDSA signature');
  const half = raw.length / 2;
  const body = Buffer.concat([derInteger(raw.subarray(0, half)), derInteger(raw.subarray(half))]);
  const length = body.length < 0x80 ? Buffer.from([body.length]) : Buffer.from([0x81, body.length]);
  return Buffer.concat([Buffer.from([0x30]), length, body]);
}

/** DER `SEQUENCE { INTEGER r, INTEGER s }` → raw r||s with each half `fieldBytes` long. */
export function ecdsaDerToRaw(der: Buffer, fieldBytes: number): Buffer {
  const seq = readTlv(der, 0);
  if (!seq || seq.tag !== 0x30 || seq.end !== der.length) throw new RangeError('invalid DER ECDSA signature');
  const parts: Buffer[] = [];
  let offset = seq.start;
  for (let i = 0; i < 2; i++) {
    const int = readTlv(der, offset);
    if (!int || int.tag !== 0x02 || int.end > seq.end) throw new RangeError('invalid DER ECDSA signature');
    let value = der.subarray(int.start, int.end);
    while (value.length > fieldBytes && value[0] === 0) value = value.subarray(1);
    if (value.length > fieldBytes) throw new RangeError('invalid DER ECDSA signature');
    parts.push(Buffer.concat([Buffer.alloc(fieldBytes - value.length), value]));
    offset = int.end;
  }
  if (offset !== seq.end) throw new RangeError('invalid DER ECDSA signature');
  return Buffer.concat(parts);
}
