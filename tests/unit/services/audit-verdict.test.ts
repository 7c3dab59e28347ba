import { describe, expect, it } from 'vitest';
import type { CheckedAuditLog, CheckpointCheck } from '../../../electron/main/registry';
import { auditVerdict, type HsmAnchorCheck } from '../../../electron/main/services/audit/audit-verdict';

const intact = (lastSequence: number): CheckedAuditLog => ({
  valid: true,
  checkedRecords: lastSequence,
  firstBrokenSequence: null,
  reason: `all ${lastSequence} records are intact`,
  lastSequence,
  checkpoints: [],
});
const anchorAt = (sequence: number): HsmAnchorCheck => ({
  checked: true,
  reading: { status: 'VALID', anchor: { sequence, hash: 'a'.repeat(64), time: '2026-12-06T10:00:00.000Z' } },
});
const check = (sequence: number, status: CheckpointCheck['status']): CheckpointCheck => ({ sequence, hash: 'a'.repeat(64), status });
const locked: HsmAnchorCheck = { checked: false, why: 'the anchor held in the HSM was not checked: the default key store is not connected' };

describe('VerifyAuditLog verdict', () => {
  it('an intact log that matches the anchor is valid and says how far it is anchored', () => {
    const verdict = auditVerdict({ log: intact(12), hsm: anchorAt(10), hsmCheck: check(10, 'MATCH'), expectedCheck: null });
    expect(verdict).toEqual({
      Valid: true,
      CheckedRecords: 12,
      FirstBrokenSequence: null,
      Reason: 'all 12 records are intact; they match the anchor held in the HSM at record 10 (2 newer records are not anchored yet)',
      Anchor: { Sequence: 10, Hash: 'a'.repeat(64), Time: '2026-12-06T10:00:00.000Z' },
      AnchorChecked: true,
      UnanchoredRecords: 2,
    });
  });

  it('a re-hashed chain: the record at the anchor differs, reported there', () => {
    const verdict = auditVerdict({ log: intact(12), hsm: anchorAt(10), hsmCheck: check(10, 'MISMATCH'), expectedCheck: null });
    expect(verdict).toMatchObject({ Valid: false, FirstBrokenSequence: 10, CheckedRecords: 9, AnchorChecked: true });
    expect(verdict.Reason).toBe('record 10 does not match the anchor held in the HSM (the log was rewritten)');
  });

  it('a log cut below the anchor: reported after the last record left', () => {
    const verdict = auditVerdict({ log: intact(7), hsm: anchorAt(10), hsmCheck: check(10, 'BEYOND_END'), expectedCheck: null });
    expect(verdict).toMatchObject({ Valid: false, FirstBrokenSequence: 8, UnanchoredRecords: 0 });
    expect(verdict.Reason).toBe('the anchor held in the HSM is at record 10, but the log ends at record 7: records were removed from its end');
  });

  it('reports the earliest of a chain break, the HSM anchor and the expected anchor', () => {
    const broken: CheckedAuditLog = { ...intact(12), valid: false, checkedRecords: 5, firstBrokenSequence: 6, reason: 'record 6 was altered: its hash does not match its content' };
    const verdict = auditVerdict({ log: broken, hsm: anchorAt(10), hsmCheck: check(10, 'MISMATCH'), expectedCheck: check(4, 'MISMATCH') });
    expect(verdict).toMatchObject({ Valid: false, FirstBrokenSequence: 4, CheckedRecords: 3 });
    expect(verdict.Reason.split('; ')).toEqual([
      'record 4 does not match the expected anchor (the log was rewritten)',
      'record 6 was altered: its hash does not match its content',
      'record 10 does not match the anchor held in the HSM (the log was rewritten)',
    ]);
  });

  it('a forged anchor makes the log invalid without naming a record', () => {
    const hsm: HsmAnchorCheck = { checked: true, reading: { status: 'INVALID', reason: 'the anchor held in the HSM is damaged or forged: x' } };
    const verdict = auditVerdict({ log: intact(5), hsm, hsmCheck: null, expectedCheck: null });
    expect(verdict).toMatchObject({ Valid: false, FirstBrokenSequence: null, CheckedRecords: 5, Anchor: null, UnanchoredRecords: 5 });
  });

  it('locked: the chain alone decides, and the answer says the anchor was not checked', () => {
    const verdict = auditVerdict({ log: intact(5), hsm: locked, hsmCheck: null, expectedCheck: null });
    expect(verdict).toMatchObject({ Valid: true, AnchorChecked: false, Anchor: null, UnanchoredRecords: null });
    expect(verdict.Reason).toBe(`all 5 records are intact; ${locked.why}`);
    const mismatch = auditVerdict({ log: intact(5), hsm: locked, hsmCheck: null, expectedCheck: check(3, 'MISMATCH') });
    expect(mismatch).toMatchObject({ Valid: false, FirstBrokenSequence: 3, AnchorChecked: false });
    expect(mismatch.Reason).toContain(locked.why);
  });

  it('no anchor yet: valid, every record unanchored, and a matching checkpoint is named', () => {
    const verdict = auditVerdict({ log: intact(5), hsm: { checked: true, reading: { status: 'ABSENT' } }, hsmCheck: null, expectedCheck: check(5, 'MATCH') });
    expect(verdict).toMatchObject({ Valid: true, UnanchoredRecords: 5, Anchor: null });
    expect(verdict.Reason).toContain('the HSM holds no anchor yet');
    expect(verdict.Reason).toContain('record 5 matches the expected anchor');
  });
});
