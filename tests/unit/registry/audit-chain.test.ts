import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, auditRecordHash, canonicalJson, type AuditRecord } from '../../../electron/main/registry';
import { chainRecord, toPendingRecord } from '../../../electron/main/registry/audit/record';
import { verifyAuditChain } from '../../../electron/main/registry/audit/verify';
import { usageEvent } from './support';

function chain(length: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let index = 0; index < length; index += 1) {
    records.push(chainRecord(toPendingRecord(usageEvent(index, { time: `2025-01-01T00:00:0${index}.000Z` })), records.at(-1) ?? null));
  }
  return records;
}

function headOf(records: AuditRecord[]) {
  const last = records.at(-1);
  return last ? { sequence: last.sequence, hash: last.hash } : null;
}

describe('audit record hash', () => {
  it('is sha256(previousHash + "\\n" + canonical JSON of the record fields), reproducible by hand', () => {
    const [first] = chain(1);
    if (!first) throw new Error('no record');
    const { previousHash, hash, ...fields } = first;
    const expected = createHash('sha256').update(`${previousHash}\n${canonicalJson(fields)}`).digest('hex');
    expect(previousHash).toBe(GENESIS_HASH);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(hash).toBe(expected);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes the same JSON as canonicalJson for awkward values', () => {
    const [first] = chain(1);
    if (!first) throw new Error('no record');
    const awkward = { ...first, actor: 'Zoë "the officer" \\ \u2028', errorCode: null, detailsJson: '{"a":"\\n"}', sequence: 9_007_199_254_740_991 };
    const { previousHash, hash: _hash, ...fields } = awkward;
    expect(auditRecordHash(previousHash, awkward)).toBe(createHash('sha256').update(`${previousHash}\n${canonicalJson(fields)}`).digest('hex'));
  });

  it('ignores properties that are not record fields', () => {
    const [first] = chain(1);
    if (!first) throw new Error('no record');
    expect(auditRecordHash(first.previousHash, { ...first, details: { Extra: 1 } } as AuditRecord)).toBe(first.hash);
  });

  it('depends on the sequence number', () => {
    const [first] = chain(1);
    if (!first) throw new Error('no record');
    expect(auditRecordHash(first.previousHash, { ...first, sequence: 2 })).not.toBe(first.hash);
  });
});

describe('verifyAuditChain', () => {
  it('accepts an intact chain and an empty log', () => {
    const records = chain(5);
    expect(verifyAuditChain(records, headOf(records))).toEqual({
      valid: true,
      checkedRecords: 5,
      firstBrokenSequence: null,
      reason: 'all 5 records are intact',
    });
    expect(verifyAuditChain([], null)).toMatchObject({ valid: true, checkedRecords: 0, firstBrokenSequence: null });
  });

  it('reports an edited record at its own sequence', () => {
    const records = chain(5);
    records[2] = { ...records[2]!, actor: 'mallory' };
    expect(verifyAuditChain(records, headOf(records))).toMatchObject({ valid: false, checkedRecords: 2, firstBrokenSequence: 3 });
  });

  it('reports an edit whose hash was recomputed at the next record, whose link no longer matches', () => {
    const records = chain(5);
    const edited = { ...records[2]!, actor: 'mallory' };
    records[2] = { ...edited, hash: auditRecordHash(edited.previousHash, edited) };
    expect(verifyAuditChain(records, null)).toMatchObject({ valid: false, firstBrokenSequence: 4 });
  });

  it('reports a deleted record at the missing sequence', () => {
    const records = chain(5);
    const head = headOf(records);
    records.splice(1, 1);
    expect(verifyAuditChain(records, head)).toMatchObject({ valid: false, checkedRecords: 1, firstBrokenSequence: 2 });
  });

  it('reports a deletion hidden by renumbering where the link breaks', () => {
    const records = chain(5);
    records.splice(1, 1);
    const renumbered = records.map((record, index) => ({ ...record, sequence: index + 1 }));
    expect(verifyAuditChain(renumbered, null)).toMatchObject({ valid: false, firstBrokenSequence: 2 });
  });

  it('reports two swapped records at the first of them', () => {
    const records = chain(5);
    const swapped = records.map((record) => ({ ...record }));
    swapped[1] = { ...records[2]!, sequence: 2 };
    swapped[2] = { ...records[1]!, sequence: 3 };
    expect(verifyAuditChain(swapped, headOf(records))).toMatchObject({ valid: false, firstBrokenSequence: 2 });
  });

  it('reports records cut off the end against the head', () => {
    const records = chain(5);
    const head = headOf(records);
    expect(verifyAuditChain(records.slice(0, 3), head)).toMatchObject({ valid: false, checkedRecords: 3, firstBrokenSequence: 4 });
  });

  it('reports a missing head while records exist, and records beyond the head', () => {
    const records = chain(3);
    expect(verifyAuditChain(records, null)).toMatchObject({ valid: false, firstBrokenSequence: 1 });
    expect(verifyAuditChain(records, { sequence: 2, hash: records[1]!.hash })).toMatchObject({ valid: false, firstBrokenSequence: 3 });
    expect(verifyAuditChain(records, { sequence: 3, hash: 'f'.repeat(64) })).toMatchObject({ valid: false, firstBrokenSequence: 3 });
  });
});
