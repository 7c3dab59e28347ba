import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditRecordHash, type Registry } from '../../../electron/main/registry';
import { type Scratch, scratch, usageEvent } from '../../unit/registry/support';

/*
 * Tampering as an attacker with write access to the file would do it: through a raw SQLite
 * connection, after dropping the append-only triggers. The registry must notice on verify().
 */
const RECORDS = 10;

let tmp: Scratch;
let registry: Registry;
let raw: Database.Database;
beforeEach(() => {
  tmp = scratch();
  registry = tmp.open();
  registry.audit.appendMany(
    Array.from({ length: RECORDS }, (_, index) => usageEvent(index + 1, { operation: index % 2 === 0 ? 'Encrypt' : 'CreateKey' })),
  );
  expect(registry.audit.verify()).toMatchObject({ valid: true, checkedRecords: RECORDS });
  raw = tmp.raw();
  raw.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
});
afterEach(() => tmp.cleanup());

const COLUMNS = 'event_id, time, operation, actor, transport, resource_id, outcome, error_code, request_id, details_json, previous_hash, hash';

describe('audit chain tamper detection', () => {
  it.each([
    ['actor', "'mallory'"],
    ['outcome', "'FAILURE'"],
    ['time', "'2020-01-01T00:00:00.000Z'"],
    ['error_code', "'InternalFailure'"],
    ['details_json', `'{"Index": 4}'`],
    ['previous_hash', `'${'0'.repeat(64)}'`],
    ['hash', `'${'a'.repeat(64)}'`],
  ])('finds an edit of %s in record 4 at sequence 4', (column, value) => {
    raw.exec(`UPDATE audit_events SET ${column} = ${value} WHERE sequence = 4`);
    expect(registry.audit.verify()).toMatchObject({ valid: false, checkedRecords: 3, firstBrokenSequence: 4 });
  });

  it('finds an edit whose hash was recomputed, at the next record', () => {
    raw.exec("UPDATE audit_events SET actor = 'mallory' WHERE sequence = 4");
    const edited = registry.audit.get(4)!;
    // A careful forger recomputes the record's own hash; the next record's link still gives it away.
    raw.prepare('UPDATE audit_events SET hash = ? WHERE sequence = 4').run(auditRecordHash(edited.previousHash, edited));
    expect(registry.audit.verify()).toMatchObject({ valid: false, firstBrokenSequence: 5 });
  });

  it('finds a deleted record at its sequence', () => {
    raw.exec('DELETE FROM audit_events WHERE sequence = 6');
    const result = registry.audit.verify();
    expect(result).toMatchObject({ valid: false, checkedRecords: 5, firstBrokenSequence: 6 });
    expect(result.reason).toContain('missing');
  });

  it('finds the first record deleted', () => {
    raw.exec('DELETE FROM audit_events WHERE sequence = 1');
    expect(registry.audit.verify()).toMatchObject({ valid: false, checkedRecords: 0, firstBrokenSequence: 1 });
  });

  it('finds a deletion disguised by renumbering the records after it', () => {
    raw.exec('DELETE FROM audit_events WHERE sequence = 6');
    for (let sequence = 7; sequence <= RECORDS; sequence += 1) {
      raw.prepare('UPDATE audit_events SET sequence = ? WHERE sequence = ?').run(sequence - 1, sequence);
    }
    expect(registry.audit.verify()).toMatchObject({ valid: false, firstBrokenSequence: 6 });
  });

  it('finds the newest records cut off, using the head', () => {
    raw.exec(`DELETE FROM audit_events WHERE sequence >= 9`);
    const result = registry.audit.verify();
    expect(result).toMatchObject({ valid: false, checkedRecords: 8, firstBrokenSequence: 9 });
    expect(result.reason).toContain('removed from the end');
  });

  it('finds two swapped records at the first of them', () => {
    const read = raw.prepare(`SELECT ${COLUMNS} FROM audit_events WHERE sequence = ?`).raw();
    const three = read.get(3) as unknown[];
    const seven = read.get(7) as unknown[];
    const write = raw.prepare(
      `UPDATE audit_events SET (${COLUMNS}) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE sequence = ?`,
    );
    raw.transaction(() => {
      write.run(...seven, 3);
      write.run(...three, 7);
    })();
    expect(registry.audit.verify()).toMatchObject({ valid: false, checkedRecords: 2, firstBrokenSequence: 3 });
  });

  it('finds adjacent records swapped including their sequence numbers', () => {
    raw.transaction(() => {
      raw.exec('UPDATE audit_events SET sequence = 1000 WHERE sequence = 5');
      raw.exec('UPDATE audit_events SET sequence = 5 WHERE sequence = 6');
      raw.exec('UPDATE audit_events SET sequence = 6 WHERE sequence = 1000');
    })();
    expect(registry.audit.verify()).toMatchObject({ valid: false, firstBrokenSequence: 5 });
  });

  it('still lists a record whose details were replaced by something that is not flat JSON', () => {
    raw.exec(`UPDATE audit_events SET details_json = 'not json' WHERE sequence = 2`);
    raw.exec(`UPDATE audit_events SET details_json = '{"Nested":{"a":1},"Ok":true}' WHERE sequence = 3`);
    expect(registry.audit.get(2)?.details).toEqual({ UnparsableDetails: 'not json' });
    expect(registry.audit.get(3)?.details).toEqual({ Nested: '{"a":1}', Ok: true });
    expect(registry.audit.list({ pageNumber: 1, pageSize: RECORDS }).rows).toHaveLength(RECORDS);
    expect(registry.audit.verify()).toMatchObject({ valid: false, firstBrokenSequence: 2 });
  });

  it('keeps appending onto the real last record after tampering, so the break stays visible', () => {
    raw.exec("UPDATE audit_events SET actor = 'mallory' WHERE sequence = 2");
    registry.audit.append(usageEvent(99));
    expect(registry.audit.verify()).toMatchObject({ valid: false, firstBrokenSequence: 2 });
  });
});
