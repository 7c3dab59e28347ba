/**
 * R6: audit tampering seen through the VerifyAuditLog operation (the registry-level cases are in
 * tests/integration/registry/audit-tamper.test.ts). A real core writes a log of real operations;
 * then, for every row, a raw connection edits it (one column per row, cycling through all of them),
 * deletes it, and swaps it with its successor, each time restoring the original afterwards.
 * VerifyAuditLog must report each change at that row's sequence.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, removeDir, type TestCore } from '../../support/test-core';
import { thousands, writeFigures } from './support/figures';

const PASSWORD = 'Tamper7Passw0rd';
const COLUMNS = ['event_id', 'time', 'operation', 'actor', 'transport', 'resource_id', 'outcome', 'error_code', 'request_id', 'details_json', 'previous_hash', 'hash'] as const;
const ALL = `sequence, ${COLUMNS.join(', ')}`;

let t: TestCore;
let raw: Database.Database;
let rows: unknown[][] = [];
const tally = { edits: 0, deletions: 0, reorders: 0, forgedHashes: 0, truncations: 0 };

function verify(): Promise<{ Valid: boolean; FirstBrokenSequence: number | null; Reason: string }> {
  return t.call('VerifyAuditLog', {});
}

/** Puts every row back exactly as it was. */
function restore(): void {
  raw.transaction(() => {
    raw.exec('DELETE FROM audit_events');
    const insert = raw.prepare(`INSERT INTO audit_events (${ALL}) VALUES (${ALL.split(',').map(() => '?').join(', ')})`);
    for (const row of rows) insert.run(...row);
  })();
}

function tampered(value: unknown, column: string): unknown {
  if (column === 'error_code') return value === null ? 'InternalFailure' : null;
  if (column === 'details_json') return '{"Forged":true}';
  if (column === 'outcome') return value === 'SUCCESS' ? 'FAILURE' : 'SUCCESS';
  if (column === 'previous_hash' || column === 'hash') return 'f'.repeat(64);
  return `${String(value)}x`;
}

beforeAll(async () => {
  t = await createTestCore();
  await t.call('InitializeDefaultKeyStore', { KeyStorePassword: PASSWORD });
  const aes = (await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256' })).KeyMetadata;
  await t.call('CreateKey', { KeySpec: 'EC_P256', Description: 'signing' });
  for (let i = 0; i < 3; i += 1) await t.call('Encrypt', { KeyId: aes.KeyId, Plaintext: 'aGVsbG8=' });
  await t.fail('CreateKey', { KeyStoreId: 'kst-missing' });
  await t.fail('Encrypt', { KeyId: 'alias/missing', Plaintext: 'aGVsbG8=' });
  await t.call('DisconnectKeyStore', { KeyStoreId: 'kst-default' });
  await t.fail('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: 'Wrong7Passw0rd' });
  await t.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: PASSWORD });
  await t.call('CreateKey', { KeySpec: 'HMAC_SHA256' });
  expect(await verify()).toMatchObject({ Valid: true });
  raw = new Database(path.join(t.dataDir, 'registry.sqlite'));
  // An attacker with the file drops the append-only triggers first.
  raw.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
  rows = raw.prepare(`SELECT ${ALL} FROM audit_events ORDER BY sequence`).raw().all() as unknown[][];
  expect(rows.length).toBeGreaterThanOrEqual(12);
});

afterAll(async () => {
  raw?.close();
  await t?.close();
  if (t) removeDir(t.dataDir);
});

describe('R6 audit tampering through VerifyAuditLog', () => {
  it('reports an edit of any row, in any column, at that row', async () => {
    for (let index = 0; index < rows.length; index += 1) {
      const sequence = index + 1;
      for (const column of [COLUMNS[index % COLUMNS.length]!, COLUMNS[(index + 5) % COLUMNS.length]!]) {
        const current = raw.prepare(`SELECT ${column} AS value FROM audit_events WHERE sequence = ?`).get(sequence) as { value: unknown };
        raw.prepare(`UPDATE audit_events SET ${column} = ? WHERE sequence = ?`).run(tampered(current.value, column), sequence);
        expect(await verify(), `${column} of row ${sequence}`).toMatchObject({ Valid: false, FirstBrokenSequence: sequence });
        tally.edits += 1;
        restore();
      }
    }
    expect(await verify()).toMatchObject({ Valid: true });
  }, 120_000);

  it('reports the deletion of any row at that row', async () => {
    for (let sequence = 1; sequence <= rows.length; sequence += 1) {
      raw.prepare('DELETE FROM audit_events WHERE sequence = ?').run(sequence);
      const result = await verify();
      expect(result, `deleted row ${sequence}`).toMatchObject({ Valid: false, FirstBrokenSequence: sequence });
      tally.deletions += 1;
      restore();
    }
  }, 120_000);

  it('reports any two rows swapped (contents, or contents and numbers) at the first of them', async () => {
    const write = raw.prepare(`UPDATE audit_events SET (${COLUMNS.join(', ')}) = (${COLUMNS.map(() => '?').join(', ')}) WHERE sequence = ?`);
    for (let index = 0; index + 1 < rows.length; index += 1) {
      const first = rows[index]!;
      const second = rows[index + 1]!;
      // Swap the contents of rows sequence and sequence+1; also a swap with a row further away.
      const far = rows[Math.min(rows.length - 1, index + 3)]!;
      for (const other of index + 3 < rows.length ? [second, far] : [second]) {
        raw.transaction(() => {
          write.run(...other.slice(1), first[0]);
          write.run(...first.slice(1), other[0]);
        })();
        expect(await verify(), `rows ${String(first[0])} and ${String(other[0])} swapped`).toMatchObject({ Valid: false, FirstBrokenSequence: index + 1 });
        tally.reorders += 1;
        restore();
      }
    }
  }, 120_000);

  it('reports a row cut off the end, and an edit whose hash was recomputed at the next row', async () => {
    raw.prepare('DELETE FROM audit_events WHERE sequence = ?').run(rows.length);
    expect(await verify()).toMatchObject({ Valid: false, FirstBrokenSequence: rows.length });
    tally.truncations += 1;
    restore();
    // A forger who recomputes the edited row's own hash: the row is self-consistent, the link of the
    // next row is what breaks, so that is where the chain is first seen broken.
    const { auditRecordHash } = await import('../../../electron/main/registry');
    for (let sequence = 2; sequence < rows.length; sequence += 3) {
      raw.prepare("UPDATE audit_events SET actor = 'mallory' WHERE sequence = ?").run(sequence);
      const record = raw
        .prepare(`SELECT sequence, event_id AS eventId, time, operation, actor, transport, resource_id AS resourceId, outcome,
          error_code AS errorCode, request_id AS requestId, details_json AS detailsJson, previous_hash AS previousHash, hash FROM audit_events WHERE sequence = ?`)
        .get(sequence) as Parameters<typeof auditRecordHash>[1] & { previousHash: string };
      raw.prepare('UPDATE audit_events SET hash = ? WHERE sequence = ?').run(auditRecordHash(record.previousHash, record), sequence);
      expect(await verify()).toMatchObject({ Valid: false, FirstBrokenSequence: sequence + 1 });
      tally.forgedHashes += 1;
      restore();
    }
    expect(await verify()).toMatchObject({ Valid: true });
    writeFigures({
      suite: 'R6',
      title: 'Audit tamper',
      lines: [
        `${thousands(rows.length)} audit rows of real operations; through VerifyAuditLog: ${tally.edits} single-column edits (every row, all ${COLUMNS.length} columns), ` +
          `${tally.deletions} deletions (every row), ${tally.reorders} reorderings, ${tally.truncations} truncation, ${tally.forgedHashes} edits with a recomputed hash`,
        'every edit, deletion and reordering reported at that row; an edit whose own hash was recomputed is reported at the next row (the first link that breaks)',
      ],
      findings: [],
    });
  }, 120_000);
});
