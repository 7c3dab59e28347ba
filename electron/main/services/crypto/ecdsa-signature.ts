import { KmsError } from '../../../../shared/errors';

/**
 * PKCS#11 returns ECDSA signatures as r||s; the API (and openssl) speak DER `SEQUENCE {r, s}`.
 * Conversion only, lengths bounded by the curve size.
 */
export function rawToDer(raw: Buffer): Buffer {
  if (raw.length === 0 || raw.length % 2 !== 0 || raw.length > 132) {
    throw new KmsError('HsmError.Generic', 'The HSM returned an ECDSA signature of unexpected length.');
  }
  const half = raw.length / 2;
  const body = Buffer.concat([derInteger(raw.subarray(0, half)), derInteger(raw.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

/** DER `SEQUENCE {r, s}` → fixed-width r||s for a curve of `size` bytes; null when malformed. */
export function derToRaw(der: Buffer, size: number): Buffer | null {
  let offset = 0;
  if (der[offset++] !== 0x30) return null;
  const sequence = readLength(der, offset);
  if (!sequence || sequence.offset + sequence.length !== der.length) return null;
  offset = sequence.offset;
  const parts: Buffer[] = [];
  for (let index = 0; index < 2; index += 1) {
    if (der[offset++] !== 0x02) return null;
    const integer = readLength(der, offset);
    if (!integer || integer.length === 0) return null;
    let value = der.subarray(integer.offset, integer.offset + integer.length);
    offset = integer.offset + integer.length;
    while (value.length > 1 && value[0] === 0) value = value.subarray(1);
    if (value.length > size) return null;
    parts.push(Buffer.concat([Buffer.alloc(size - value.length), value]));
  }
  return offset === der.length ? Buffer.concat(parts) : null;
}

function derInteger(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start += 1;
  let body = value.subarray(start);
  if ((body[0] ?? 0) & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body]);
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x100) return Buffer.from([0x81, length]);
  return Buffer.from([0x82, length >> 8, length & 0xff]);
}

function readLength(der: Buffer, offset: number): { length: number; offset: number } | null {
  const first = der[offset];
  if (first === undefined) return null;
  if (first < 0x80) return { length: first, offset: offset + 1 };
  if (first === 0x81) {
    const length = der[offset + 1];
    return length === undefined || length < 0x80 ? null : { length, offset: offset + 2 };
  }
  return null;
}
