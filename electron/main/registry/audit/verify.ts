import { type AuditRecord, GENESIS_HASH, auditRecordHash } from './record';

export interface AuditVerification {
  valid: boolean;
  /** Records that passed every check, in order, before the first break (all of them when valid). */
  checkedRecords: number;
  /** Where the break is first seen: the edited, missing or misplaced record; null when valid. */
  firstBrokenSequence: number | null;
  reason: string;
}

export interface AuditHead {
  sequence: number;
  hash: string;
}

/**
 * Walks records in ascending sequence order and checks, for each: that it is the next number
 * (a gap means a deleted record), that it links to the hash of the record before (catches
 * deletions with renumbering and reordering), and that its own hash matches its content (catches
 * edits). Then compares the last record with the stored head, which reveals records cut off the end.
 */
export function verifyAuditChain(records: Iterable<AuditRecord>, head: AuditHead | null): AuditVerification {
  let expected = 1;
  let previousHash = GENESIS_HASH;
  let checked = 0;
  const broken = (sequence: number, reason: string): AuditVerification => ({
    valid: false,
    checkedRecords: checked,
    firstBrokenSequence: sequence,
    reason,
  });

  for (const record of records) {
    if (record.sequence !== expected) {
      return broken(expected, `record ${expected} is missing (the next record present is ${record.sequence})`);
    }
    if (record.previousHash !== previousHash) {
      return broken(record.sequence, `record ${record.sequence} does not link to the hash of record ${record.sequence - 1}`);
    }
    if (auditRecordHash(record.previousHash, record) !== record.hash) {
      return broken(record.sequence, `record ${record.sequence} was altered: its hash does not match its content`);
    }
    previousHash = record.hash;
    checked += 1;
    expected += 1;
  }

  const last = checked;
  if (head === null) {
    return last === 0
      ? { valid: true, checkedRecords: 0, firstBrokenSequence: null, reason: 'the audit log is empty' }
      : broken(1, 'the audit head record is missing');
  }
  if (head.sequence > last) {
    return broken(last + 1, `records ${last + 1} to ${head.sequence} were removed from the end of the log`);
  }
  if (head.sequence < last) {
    return broken(head.sequence + 1, `records after ${head.sequence} were added without updating the audit head`);
  }
  if (head.hash !== previousHash) {
    return broken(last, `record ${last} does not match the audit head`);
  }
  return { valid: true, checkedRecords: checked, firstBrokenSequence: null, reason: `all ${checked} records are intact` };
}
