/**
 * Checkpoints: a (sequence, hash) pair kept outside registry.sqlite (the anchor in the HSM, or one
 * an officer wrote down). The chain proves the records agree with each other; only a checkpoint
 * proves they are the records that were written: whoever rewrites the file can re-hash a chain,
 * but cannot make record S hash to what was recorded elsewhere.
 */
import { type AuditRecord, auditRecordHash } from './record';
import type { AuditHead } from './verify';

export type CheckpointStatus =
  /** Record `sequence` exists and has exactly this hash. */
  | 'MATCH'
  /** Record `sequence` has another hash, or is gone from the middle: the log was rewritten at or before it. */
  | 'MISMATCH'
  /** The log ends before `sequence`: records were cut off. */
  | 'BEYOND_END';

export interface CheckpointCheck {
  sequence: number;
  hash: string;
  status: CheckpointStatus;
}

/** `recordHash`: the hash of the record at the checkpoint's sequence, null when there is none. */
export function checkCheckpoint(checkpoint: AuditHead, recordHash: string | null, lastSequence: number): CheckpointCheck {
  const status: CheckpointStatus =
    recordHash === checkpoint.hash ? 'MATCH' : recordHash === null && checkpoint.sequence > lastSequence ? 'BEYOND_END' : 'MISMATCH';
  return { sequence: checkpoint.sequence, hash: checkpoint.hash, status };
}

export type ChainExtension = { ok: true; head: AuditHead } | { ok: false; sequence: number; reason: string };

/**
 * Follows the chain from `from` through `records` (ascending, starting right after it): each must
 * be the next number, link to the hash before it and match its own content. Used before an anchor
 * moves forward, so that it only ever moves along the chain it already vouches for.
 */
export function extendChain(from: AuditHead, records: Iterable<AuditRecord>): ChainExtension {
  let head = from;
  for (const record of records) {
    const expected = head.sequence + 1;
    if (record.sequence !== expected) return { ok: false, sequence: expected, reason: `record ${expected} is missing` };
    if (record.previousHash !== head.hash) {
      return { ok: false, sequence: record.sequence, reason: `record ${record.sequence} does not link to record ${head.sequence}` };
    }
    if (auditRecordHash(record.previousHash, record) !== record.hash) {
      return { ok: false, sequence: record.sequence, reason: `record ${record.sequence} was altered` };
    }
    head = { sequence: record.sequence, hash: record.hash };
  }
  return { ok: true, head };
}
