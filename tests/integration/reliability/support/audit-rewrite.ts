/**
 * What an attacker with write access to registry.sqlite (and no key store password) can do to the
 * audit log: drop the append-only triggers, then delete records and re-hash everything after them
 * with the published recipe (auditRecordHash), or cut the newest records off, and update the head
 * row so the chain and its head agree again. Without an anchor outside the file, both pass.
 */
import Database from 'better-sqlite3';
import { GENESIS_HASH, auditRecordHash, type AuditRecord } from '../../../../electron/main/registry';

const RECORD_COLUMNS = `sequence, event_id AS eventId, time, operation, actor, transport, resource_id AS resourceId, outcome,
  error_code AS errorCode, request_id AS requestId, details_json AS detailsJson, previous_hash AS previousHash, hash`;

function openUnguarded(file: string): Database.Database {
  const db = new Database(file);
  db.exec('DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete;');
  return db;
}

export function readRecords(file: string): AuditRecord[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT ${RECORD_COLUMNS} FROM audit_events ORDER BY sequence`).all() as AuditRecord[];
  } finally {
    db.close();
  }
}

/** Deletes record `sequence`, renumbers and re-hashes every record after it, and updates the head. */
export function deleteAndRehash(file: string, sequence: number): void {
  const records = readRecords(file);
  const db = openUnguarded(file);
  try {
    const insert = db.prepare(
      `INSERT INTO audit_events (sequence, event_id, time, operation, actor, transport, resource_id, outcome, error_code,
         request_id, details_json, previous_hash, hash)
       VALUES (@sequence, @eventId, @time, @operation, @actor, @transport, @resourceId, @outcome, @errorCode,
         @requestId, @detailsJson, @previousHash, @hash)`,
    );
    db.transaction(() => {
      db.exec('DELETE FROM audit_events');
      let previousHash = GENESIS_HASH;
      let next = 1;
      for (const record of records) {
        if (record.sequence === sequence) continue;
        const moved = { ...record, sequence: next, previousHash };
        const rewritten = { ...moved, hash: auditRecordHash(previousHash, moved) };
        insert.run(rewritten);
        previousHash = rewritten.hash;
        next += 1;
      }
      db.prepare('UPDATE audit_head SET sequence = ?, hash = ? WHERE id = 1').run(next - 1, previousHash);
    })();
  } finally {
    db.close();
  }
}

/** Cuts every record after `lastKept` off and points the head at `lastKept`. */
export function truncateAfter(file: string, lastKept: number): void {
  const kept = readRecords(file).find((record) => record.sequence === lastKept);
  if (!kept) throw new Error(`no record ${lastKept} to keep`);
  const db = openUnguarded(file);
  try {
    db.transaction(() => {
      db.prepare('DELETE FROM audit_events WHERE sequence > ?').run(lastKept);
      db.prepare('UPDATE audit_head SET sequence = ?, hash = ? WHERE id = 1').run(kept.sequence, kept.hash);
    })();
  } finally {
    db.close();
  }
}
