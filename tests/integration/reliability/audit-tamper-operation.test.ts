/**
 * R6: audit tampering seen through the VerifyAuditLog operation (the registry-level cases are in
 * tests/integration/registry/audit-tamper.test.ts). A real core writes a log of real operations;
 * then, for every row, a raw connection edits it (one column per row, cycling through all of them),
 * deletes it, and swaps it with its successor, each time restoring the original afterwards.
 * VerifyAuditLog must report each change at that row's sequence.
 *
 * The chain alone cannot catch a careful rewrite (delete a record, re-hash the rest, update the
 * head): the second part rewrites the log that way, and cuts it short, and the anchor the default
 * key store's HSM holds must reveal both (support/audit-rewrite.ts does what the attacker does).
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, removeDir, type TestCore } from '../../support/test-core';
import { AUDIT_ANCHOR_LABEL, AuditAnchorStore } from '../../../electron/main/services/audit/anchor-store';
import { encodeAnchor } from '../../../electron/main/services/audit/anchor-codec';
import { HsmModuleClient } from '../../../electron/main/hsm/client';
import { bindToken } from '../../../electron/main/hsm/token';
import { createNodeWorkerLauncher } from '../../../electron/main/hsm/node-launcher';
import { listTokenObjects } from '../../support/pkcs11-tool';
import { SOFTHSM_MODULE_PATH } from '../../support/softhsm';
import { deleteAndRehash, readRecords, truncateAfter } from './support/audit-rewrite';
import { thousands, writeFigures } from './support/figures';

const PASSWORD = 'Tamper7Passw0rd';
const COLUMNS = ['event_id', 'time', 'operation', 'actor', 'transport', 'resource_id', 'outcome', 'error_code', 'request_id', 'details_json', 'previous_hash', 'hash'] as const;
const ALL = `sequence, ${COLUMNS.join(', ')}`;

let t: TestCore;
let raw: Database.Database;
let rows: unknown[][] = [];
const tally = { edits: 0, deletions: 0, reorders: 0, forgedHashes: 0, truncations: 0, rewrites: 0, cutBelowAnchor: 0, checkpoints: 0, forgedAnchors: 0 };

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
  }, 120_000);
});

describe('R6 rewritten audit log, caught by the anchor the HSM holds', () => {
  const STORE = 'kst-default';
  let r: TestCore | null = null;

  /** A fresh installation with a few real operations, its store connected. */
  async function freshLog(): Promise<TestCore> {
    await r?.close();
    if (r) removeDir(r.dataDir);
    r = await createTestCore();
    await r.call('InitializeDefaultKeyStore', { KeyStorePassword: PASSWORD });
    const aes = (await r.call('CreateKey', { KeySpec: 'Aliyun_AES_256' })).KeyMetadata;
    await r.call('CreateKey', { KeySpec: 'EC_P256', Description: 'signing' });
    await r.call('Encrypt', { KeyId: aes.KeyId, Plaintext: 'aGVsbG8=' });
    await r.call('CreateKey', { KeySpec: 'HMAC_SHA256' });
    return r;
  }

  /** Closes the core (its last act anchors the head), lets `tamper` edit the file, reopens and connects. */
  async function offline(log: TestCore, tamper: (file: string) => void): Promise<TestCore> {
    await log.close();
    tamper(path.join(log.dataDir, 'registry.sqlite'));
    r = await createTestCore(log.dataDir);
    await r.call('ConnectKeyStore', { KeyStoreId: STORE, KeyStorePassword: PASSWORD });
    return r;
  }

  /** The anchor as a second worker, logged in on its own, reads it from the token. */
  async function anchorFromOutside(dataDir: string, use?: (token: { client: HsmModuleClient; serial: string }) => Promise<void>) {
    const client = new HsmModuleClient({ path: SOFTHSM_MODULE_PATH, env: { SOFTHSM2_CONF: path.join(dataDir, 'softhsm', 'softhsm2.conf') } }, { launcher: createNodeWorkerLauncher() });
    try {
      const slots = await client.listSlots();
      const serial = slots.find((slot) => slot.token?.label === 'keyward-default')?.token?.serial ?? '';
      await client.login({ serial, userPin: PASSWORD });
      await use?.({ client, serial });
      return await new AuditAnchorStore().read(bindToken(client, serial));
    } finally {
      await client.close();
    }
  }

  async function waitForAnchorAt(dataDir: string, sequence: number): Promise<void> {
    const deadline = Date.now() + 15_000;
    let seen: unknown = null;
    while (Date.now() < deadline) {
      seen = await anchorFromOutside(dataDir);
      if ((seen as { anchor?: { sequence: number } }).anchor?.sequence === sequence) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the anchor did not reach record ${sequence}: ${JSON.stringify(seen)}`);
  }

  afterAll(async () => {
    await r?.close();
    if (r) removeDir(r.dataDir);
  });

  it('reports a CreateKey record deleted and every later record re-hashed with the head updated, and never re-anchors over it', async () => {
    const log = await freshLog();
    const original = { records: [] as ReturnType<typeof readRecords> };
    const tampered = await offline(log, (file) => {
      original.records = readRecords(file);
      const createKey = original.records.find((record) => record.operation === 'CreateKey');
      deleteAndRehash(file, createKey?.sequence ?? 0);
    });
    const anchored = original.records.at(-1)!;
    const verdict = await tampered.call('VerifyAuditLog', {});
    expect(verdict, verdict.Reason).toMatchObject({ Valid: false, AnchorChecked: true, FirstBrokenSequence: anchored.sequence });
    expect(verdict.Reason).toContain(`record ${anchored.sequence} does not match the anchor held in the HSM (the log was rewritten)`);
    // New records ask for the anchor to move past them; the log does not extend it, so it stays put.
    await tampered.call('CreateKey', { KeySpec: 'Aliyun_AES_256' });
    expect((await tampered.call('GetAuditAnchor', {})).Anchor).toMatchObject({ Sequence: anchored.sequence, Hash: anchored.hash });
    expect((await tampered.call('VerifyAuditLog', {})).Valid).toBe(false);
    // Locked, only the chain can be checked, and the answer says so.
    await tampered.call('DisconnectKeyStore', { KeyStoreId: STORE });
    const locked = await tampered.call('VerifyAuditLog', {});
    expect(locked).toMatchObject({ Valid: true, AnchorChecked: false, Anchor: null, UnanchoredRecords: null });
    expect(locked.Reason).toContain('not checked');
    tally.rewrites += 1;
  });

  it('reports records cut off below the anchor', async () => {
    const log = await freshLog();
    let anchored = 0;
    const tampered = await offline(log, (file) => {
      anchored = readRecords(file).length;
      truncateAfter(file, anchored - 3);
    });
    const verdict = await tampered.call('VerifyAuditLog', {});
    // The log now ends with the ConnectKeyStore record at anchored - 2.
    expect(verdict, verdict.Reason).toMatchObject({ Valid: false, AnchorChecked: true, FirstBrokenSequence: anchored - 1 });
    expect(verdict.Reason).toContain(`the anchor held in the HSM is at record ${anchored}, but the log ends at record ${anchored - 2}`);
    tally.cutBelowAnchor += 1;
  });

  it("checks the log against a checkpoint the officer wrote down, also while the store is locked", async () => {
    const log = await freshLog();
    const { Anchor: checkpoint, UnanchoredRecords } = await log.call('GetAuditAnchor', {});
    expect(UnanchoredRecords).toBe(0);
    if (!checkpoint) throw new Error('no anchor after GetAuditAnchor');
    await log.call('CreateKey', { KeySpec: 'Aliyun_AES_128' });
    const expected = { Sequence: checkpoint.Sequence, Hash: checkpoint.Hash };
    expect(await log.call('VerifyAuditLog', { ExpectedAnchor: expected })).toMatchObject({ Valid: true, AnchorChecked: true });
    const wrong = await log.call('VerifyAuditLog', { ExpectedAnchor: { ...expected, Hash: 'f'.repeat(64) } });
    expect(wrong).toMatchObject({ Valid: false, FirstBrokenSequence: checkpoint.Sequence });
    expect(wrong.Reason).toContain(`record ${checkpoint.Sequence} does not match the expected anchor`);
    const beyond = await log.call('VerifyAuditLog', { ExpectedAnchor: { ...expected, Sequence: checkpoint.Sequence + 50 } });
    expect(beyond).toMatchObject({ Valid: false, FirstBrokenSequence: checkpoint.Sequence + 2 });
    expect(beyond.Reason).toContain(`the expected anchor is at record ${checkpoint.Sequence + 50}, but the log ends at record ${checkpoint.Sequence + 1}`);
    await log.call('DisconnectKeyStore', { KeyStoreId: STORE });
    expect(await log.call('VerifyAuditLog', { ExpectedAnchor: { ...expected, Hash: 'e'.repeat(64) } })).toMatchObject({ Valid: false, AnchorChecked: false });
    expect((await log.fail('GetAuditAnchor', {})).Code).toBe('Forbidden.KeyStoreState');
    tally.checkpoints += 3;
  });

  it('moves the anchor forward by itself after state changes and after usage batches', async () => {
    const log = await freshLog();
    const start = (await log.call('GetAuditAnchor', {})).Anchor?.Sequence ?? 0;
    const key = (await log.call('CreateKey', { KeySpec: 'Aliyun_AES_256' })).KeyMetadata;
    await waitForAnchorAt(log.dataDir, start + 1);
    for (let i = 0; i < 5; i += 1) await log.call('Encrypt', { KeyId: key.KeyId, Plaintext: 'aGVsbG8=' });
    await waitForAnchorAt(log.dataDir, start + 6);
    expect((await log.call('VerifyAuditLog', {})).UnanchoredRecords).toBe(0);
  }, 60_000);

  it('keeps the anchor and its key private: a session without login sees neither, and ReconcileKeyStore counts them as Keyward’s own', async () => {
    const log = await freshLog();
    await log.call('GetAuditAnchor', {});
    const mine = listTokenObjects(log.dataDir, PASSWORD).filter((object) => object.label === AUDIT_ANCHOR_LABEL);
    expect(mine.map((object) => object.kind).sort()).toEqual(['Data', 'Secret Key']);
    const key = mine.find((object) => object.kind === 'Secret Key');
    expect(key?.access).toEqual(expect.arrayContaining(['sensitive', 'always sensitive', 'never extractable']));
    // pkcs11-tool 0.23 prints "verify" alone for an HMAC key with CKA_SIGN and CKA_VERIFY; what matters is that nothing else shows.
    expect(key?.usage.filter((usage) => usage !== 'sign' && usage !== 'verify')).toEqual([]);
    expect(listTokenObjects(log.dataDir, null).filter((object) => object.label === AUDIT_ANCHOR_LABEL)).toEqual([]);
    const report = await log.call('ReconcileKeyStore', { KeyStoreId: STORE });
    expect(report.Tokens[0]).toMatchObject({ InfrastructureObjects: 2, ForeignObjects: 0, OrphanObjects: 0 });
  });

  it('reports an anchor object forged or garbled in the token, and does not overwrite it', async () => {
    const log = await freshLog();
    const { Anchor } = await log.call('GetAuditAnchor', {});
    // Someone with the password but not the anchor key: a well-formed value with a made-up MAC.
    await anchorFromOutside(log.dataDir, async ({ client, serial }) => {
      const forged = { sequence: (Anchor?.Sequence ?? 0) - 1, hash: 'a'.repeat(64), time: new Date().toISOString() };
      await client.putDataObject({ serial, label: AUDIT_ANCHOR_LABEL, value: encodeAnchor(forged, Buffer.alloc(32, 7)) });
    });
    await log.call('CreateKey', { KeySpec: 'Aliyun_AES_256' });
    const verdict = await log.call('VerifyAuditLog', {});
    expect(verdict).toMatchObject({ Valid: false, AnchorChecked: true, Anchor: null });
    expect(verdict.Reason).toContain('damaged or forged');
    expect((await log.fail('GetAuditAnchor', {})).Message).toContain('damaged or forged');
    tally.forgedAnchors += 1;
  });

  it('records the R6 figures', () => {
    writeFigures({
      suite: 'R6',
      title: 'Audit tamper',
      lines: [
        `${thousands(rows.length)} audit rows of real operations; through VerifyAuditLog: ${tally.edits} single-column edits (every row, all ${COLUMNS.length} columns), ` +
          `${tally.deletions} deletions (every row), ${tally.reorders} reorderings, ${tally.truncations} truncation, ${tally.forgedHashes} edits with a recomputed hash`,
        'every edit, deletion and reordering reported at that row; an edit whose own hash was recomputed is reported at the next row (the first link that breaks)',
        `against the anchor in the default key store's HSM: ${tally.rewrites} CreateKey record deleted with every later record re-hashed and the head updated, ` +
          `${tally.cutBelowAnchor} log cut below the anchor, ${tally.checkpoints} checks against an officer's checkpoint, ${tally.forgedAnchors} forged anchor object: all reported; ` +
          'the anchor never moved over a rewritten log, and a locked store is reported as not checked',
      ],
      findings: [],
    });
  });
});
