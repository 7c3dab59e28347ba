import { describe, expect, it } from 'vitest';
import { auditRecordHash, type AuditRecord } from '../../../electron/main/registry';
import { checkCheckpoint, extendChain } from '../../../electron/main/registry/audit/checkpoints';
import { chainRecord, toPendingRecord } from '../../../electron/main/registry/audit/record';
import { usageEvent } from './support';

function chain(length: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let index = 0; index < length; index += 1) {
    records.push(chainRecord(toPendingRecord(usageEvent(index)), records.at(-1) ?? null));
  }
  return records;
}

const at = (records: AuditRecord[], sequence: number) => {
  const record = records[sequence - 1];
  if (!record) throw new Error(`no record ${sequence}`);
  return { sequence, hash: record.hash };
};

describe('checkCheckpoint', () => {
  it('matches the record with that hash, reports another hash, a record gone from the middle and one past the end', () => {
    const checkpoint = { sequence: 3, hash: 'a'.repeat(64) };
    expect(checkCheckpoint(checkpoint, 'a'.repeat(64), 5).status).toBe('MATCH');
    expect(checkCheckpoint(checkpoint, 'b'.repeat(64), 5).status).toBe('MISMATCH');
    expect(checkCheckpoint(checkpoint, null, 5).status).toBe('MISMATCH');
    expect(checkCheckpoint(checkpoint, null, 2)).toEqual({ ...checkpoint, status: 'BEYOND_END' });
  });
});

describe('extendChain', () => {
  it('follows intact records from a checkpoint to the last one', () => {
    const records = chain(6);
    expect(extendChain(at(records, 2), records.slice(2))).toEqual({ ok: true, head: at(records, 6) });
    expect(extendChain(at(records, 6), [])).toEqual({ ok: true, head: at(records, 6) });
  });

  it('refuses a log re-hashed after a deleted record: the first record no longer links to the checkpoint', () => {
    const records = chain(6);
    const checkpoint = at(records, 4);
    // The rewrite: record 2 deleted, the rest renumbered and re-hashed from the genesis on.
    const rewritten: AuditRecord[] = [];
    for (const record of records.filter((candidate) => candidate.sequence !== 2)) {
      const previous = rewritten.at(-1) ?? null;
      const moved = { ...record, sequence: rewritten.length + 1, previousHash: previous?.hash ?? '0'.repeat(64) };
      rewritten.push({ ...moved, hash: auditRecordHash(moved.previousHash, moved) });
    }
    expect(extendChain(checkpoint, rewritten.slice(4))).toMatchObject({ ok: false, sequence: 5 });
  });

  it('names a gap, a broken link and an edited record', () => {
    const records = chain(6);
    expect(extendChain(at(records, 2), [records[3]!])).toEqual({ ok: false, sequence: 3, reason: 'record 3 is missing' });
    expect(extendChain({ sequence: 2, hash: 'f'.repeat(64) }, records.slice(2))).toMatchObject({ ok: false, sequence: 3, reason: 'record 3 does not link to record 2' });
    const edited = records.slice(2).map((record) => (record.sequence === 4 ? { ...record, actor: 'mallory' } : record));
    expect(extendChain(at(records, 2), edited)).toMatchObject({ ok: false, sequence: 4, reason: 'record 4 was altered' });
  });
});
