/**
 * The audit anchor as it is stored in the HSM: the sequence and hash of an audit record the log
 * had reached, when, and an HMAC over those three made inside the HSM with a key that never leaves
 * it. Pure encoding and decoding; anchor-store.ts talks to the token.
 */

export interface AuditAnchor {
  sequence: number;
  /** The record's chain hash (64 lowercase hex). */
  hash: string;
  /** ISO-8601 UTC, when the anchor was written. */
  time: string;
}

export interface DecodedAnchor {
  anchor: AuditAnchor;
  mac: Buffer;
}

export const ANCHOR_FORMAT = 'keyward-audit-anchor/1';
const HASH = /^[0-9a-f]{64}$/;
const MAC = /^[0-9a-f]{64}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/**
 * The bytes the HMAC covers: one field per line, none of which can contain a newline, behind a
 * format tag, so no other anchor (and no value of another format) has the same bytes.
 */
export function anchorMacInput(anchor: AuditAnchor): Buffer {
  return Buffer.from(`${ANCHOR_FORMAT}\n${anchor.sequence}\n${anchor.hash}\n${anchor.time}`, 'utf8');
}

export function encodeAnchor(anchor: AuditAnchor, mac: Buffer): Buffer {
  return Buffer.from(
    JSON.stringify({ Format: ANCHOR_FORMAT, Sequence: anchor.sequence, Hash: anchor.hash, Time: anchor.time, Mac: mac.toString('hex') }),
    'utf8',
  );
}

/** Null for anything that is not exactly a value encodeAnchor wrote (garbled, truncated, other format). */
export function decodeAnchor(value: Buffer): DecodedAnchor | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const { Format, Sequence, Hash, Time, Mac } = parsed as Record<string, unknown>;
  if (Format !== ANCHOR_FORMAT) return null;
  if (typeof Sequence !== 'number' || !Number.isSafeInteger(Sequence) || Sequence < 1) return null;
  if (typeof Hash !== 'string' || !HASH.test(Hash)) return null;
  if (typeof Time !== 'string' || !ISO_TIME.test(Time)) return null;
  if (typeof Mac !== 'string' || !MAC.test(Mac)) return null;
  return { anchor: { sequence: Sequence, hash: Hash, time: Time }, mac: Buffer.from(Mac, 'hex') };
}
