/**
 * Signed audit exports on a real SoftHSM2 default key store and a real SQLite registry: the audit
 * signing key made once inside the HSM and stable across restarts, exports of the whole log and of
 * a range checked by openssl alone and by VerifyAuditExport, and R6: an edited, deleted, reordered
 * or foreign record and a changed signature each fail both checks. No secret reaches an export.
 */
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationOutput } from '../../../shared/contract';
import { AUDIT_SIGNING_KEY_ID, AUDIT_SIGNING_LABEL } from '../../../electron/main/services/audit/audit-signing-ids';
import { AUDIT_SIGNING_KEY_META } from '../../../electron/main/services/audit/audit-signing-key';
import { DEFAULT_KEY_STORE_ID } from '../../../electron/main/services/keystores/default-key-store';
import { scanText } from '../../support/canary-scan';
import { listTokenObjects } from '../../support/pkcs11-tool';
import { runKms } from '../../support/run-cli';
import { CANARY_PASSWORD, createInitializedTestCore, createTestCore, removeDir, type TestCore } from '../../support/test-core';

const SECRET_VALUE = 'Export-Canary-9f3c1e77-secret';
type Export = OperationOutput<'ExportAuditLog'>;

let t: TestCore;
let work: string;
let full: Export;

/** openssl's verdict on an export, from files written exactly as the README says. */
function opensslVerifies(exported: string, signatureBase64: string, publicKeyPem: string): boolean {
  const dir = mkdtempSync(path.join(work, 'check-'));
  writeFileSync(path.join(dir, 'export.jsonl'), exported, 'utf8');
  writeFileSync(path.join(dir, 'export.sig'), Buffer.from(signatureBase64, 'base64'));
  writeFileSync(path.join(dir, 'audit-signing.pem'), publicKeyPem);
  try {
    const out = execFileSync('openssl', ['dgst', '-sha256', '-verify', 'audit-signing.pem', '-signature', 'export.sig', 'export.jsonl'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return out.includes('Verified OK');
  } catch {
    return false;
  }
}

function linesOf(exported: string): string[] {
  return exported.split('\n').slice(0, -1);
}

function sequenceOf(line: string): number {
  return (JSON.parse(line) as { Sequence: number }).Sequence;
}

function verify(exported: string, signature = full.Signature, key?: string) {
  return t.call('VerifyAuditExport', { Export: exported, Signature: signature, ...(key ? { SigningPublicKey: key } : {}) });
}

async function signingKeyEvents(): Promise<number> {
  const page = await t.call('ListAuditEvents', { PageSize: 100, Filters: [{ Key: 'Operation', Values: ['GetAuditSigningKey'] }] });
  return page.Events.filter((event) => event.Details.Created === true).length;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'keyward-audit-export-'));
  t = await createInitializedTestCore();
  await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256' });
  await t.call('CreateSecret', { SecretName: 'audit/export', SecretData: SECRET_VALUE, VersionId: 'v1' });
  await t.call('CreateKey', { KeySpec: 'EC_P256', KeyUsage: 'SIGN/VERIFY' });
});

afterAll(async () => {
  await t?.close();
  if (t) removeDir(t.dataDir);
  if (work) removeDir(work);
});

describe('the audit signing key', () => {
  let first: OperationOutput<'GetAuditSigningKey'>;

  it('is an EC P-256 key made once in the HSM, never extractable, with a fingerprint of its SPKI', async () => {
    first = await t.call('GetAuditSigningKey', {});
    expect(first.KeySpec).toBe('EC_P256');
    expect(first.PublicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const der = Buffer.from(first.PublicKey.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    expect(first.Sha256).toBe(createHash('sha256').update(der).digest('hex'));
    const again = await t.call('GetAuditSigningKey', {});
    expect(again.PublicKey).toBe(first.PublicKey);
    expect(await signingKeyEvents()).toBe(1);

    const mine = listTokenObjects(t.dataDir, CANARY_PASSWORD).filter((object) => object.id === AUDIT_SIGNING_KEY_ID);
    expect(mine.map((object) => object.kind).sort()).toEqual(['Private Key', 'Public Key']);
    const privateKey = mine.find((object) => object.kind === 'Private Key');
    expect(privateKey?.label).toBe(AUDIT_SIGNING_LABEL);
    expect(privateKey?.access).toEqual(expect.arrayContaining(['sensitive', 'always sensitive', 'never extractable']));
  });

  it('counts as Keyward’s own infrastructure for ReconcileKeyStore: never foreign, never an orphan', async () => {
    const report = await t.call('ReconcileKeyStore', { KeyStoreId: DEFAULT_KEY_STORE_ID });
    expect(report.OrphanObjects).toEqual([]);
    expect(report.Tokens[0]).toMatchObject({ ForeignObjects: 0, OrphanObjects: 0 });
  });

  it('is the same key after a restart, and is not made again', async () => {
    await t.close();
    t = await createTestCore(t.dataDir);
    await t.call('ConnectKeyStore', { KeyStoreId: DEFAULT_KEY_STORE_ID, KeyStorePassword: CANARY_PASSWORD });
    expect((await t.call('GetAuditSigningKey', {})).PublicKey).toBe(first.PublicKey);
    expect(await signingKeyEvents()).toBe(1);
  });
});

describe('ExportAuditLog and VerifyAuditExport', () => {
  it('exports the whole log as JSON Lines of ListAuditEvents records, signed, and audits the export after them', async () => {
    const before = await t.call('ListAuditEvents', { PageSize: 100 });
    const last = before.Events[0]!.Sequence;
    full = await t.call('ExportAuditLog', {});
    expect(full).toMatchObject({ FromSequence: 1, ToSequence: last, RecordCount: last });
    expect(full.Export.endsWith('\n')).toBe(true);
    const lines = linesOf(full.Export);
    expect(lines).toHaveLength(last);
    const { RequestId: _r, ...listed } = before;
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([...listed.Events].reverse());
    // Fixed key order: the contract's AuditEvent fields.
    expect(Object.keys(JSON.parse(lines[0]!) as object)).toEqual(Object.keys(before.Events[0]!));

    const after = await t.call('ListAuditEvents', { PageSize: 1 });
    expect(after.Events[0]).toMatchObject({
      Sequence: last + 1,
      Operation: 'ExportAuditLog',
      Outcome: 'SUCCESS',
      Details: { FromSequence: 1, ToSequence: last, RecordCount: last, ExportSha256: createHash('sha256').update(full.Export).digest('hex') },
    });
  });

  it('is verified by openssl alone and by VerifyAuditExport (with this instance’s key or the one given)', async () => {
    expect(opensslVerifies(full.Export, full.Signature, full.SigningPublicKey)).toBe(true);
    const expected = { Valid: true, SignatureValid: true, ChainValid: true, RecordCount: full.RecordCount, FirstBrokenSequence: null, Reason: null };
    expect(await verify(full.Export)).toMatchObject(expected);
    expect(await verify(full.Export, full.Signature, full.SigningPublicKey)).toMatchObject(expected);
  });

  it('exports a range, whose chain checks from its first record on', async () => {
    const range = await t.call('ExportAuditLog', { FromSequence: 3, ToSequence: 7 });
    expect(range).toMatchObject({ FromSequence: 3, ToSequence: 7, RecordCount: 5 });
    expect(linesOf(range.Export).map(sequenceOf)).toEqual([3, 4, 5, 6, 7]);
    expect(linesOf(range.Export)).toEqual(linesOf(full.Export).slice(2, 7));
    expect(opensslVerifies(range.Export, range.Signature, range.SigningPublicKey)).toBe(true);
    expect(await verify(range.Export, range.Signature)).toMatchObject({ Valid: true, RecordCount: 5 });
  });

  it('refuses ranges outside the log or longer than the limit, by name', async () => {
    const last = (await t.call('ListAuditEvents', { PageSize: 1 })).Events[0]!.Sequence;
    expect(await t.fail('ExportAuditLog', { FromSequence: last + 5 })).toMatchObject({ Code: 'InvalidParameter' });
    expect(await t.fail('ExportAuditLog', { ToSequence: last + 5 })).toMatchObject({ Code: 'InvalidParameter' });
    expect(await t.fail('ExportAuditLog', { FromSequence: 5, ToSequence: 4 })).toMatchObject({ Code: 'InvalidParameter' });
    expect((await t.fail('ExportAuditLog', { FromSequence: 1, ToSequence: 100_001 })).Message).toMatch(/at most 100000 records/);
  });

  it('holds no secret: neither the key store password nor a secret value', () => {
    const text = JSON.stringify(full);
    expect(text).toContain('audit/export');
    expect(scanText('the export', text, [CANARY_PASSWORD, SECRET_VALUE])).toEqual([]);
  });
});

describe('R6: a tampered export fails VerifyAuditExport and openssl', () => {
  async function expectBroken(tampered: string, firstBroken: number | null) {
    expect(tampered).not.toBe(full.Export);
    const verdict = await verify(tampered);
    expect(verdict).toMatchObject({ Valid: false, SignatureValid: false, ChainValid: false, FirstBrokenSequence: firstBroken });
    expect(verdict.Reason).toEqual(expect.any(String));
    expect(opensslVerifies(tampered, full.Signature, full.SigningPublicKey)).toBe(false);
  }

  it('an edited record: one character of its Details', async () => {
    const lines = linesOf(full.Export);
    // The first record past the start whose Details hold a text value: its last character changes.
    const index = lines.findIndex((line, at) => at > 0 && Object.values((JSON.parse(line) as { Details: object }).Details).some((value) => typeof value === 'string' && value !== ''));
    expect(index).toBeGreaterThan(0);
    const details = (JSON.parse(lines[index]!) as { Details: Record<string, unknown> }).Details;
    const [name, value] = Object.entries(details).find(([, v]) => typeof v === 'string' && v !== '') as [string, string];
    const field = `${JSON.stringify(name)}:${JSON.stringify(value)}`;
    const edited = `${JSON.stringify(name)}:${JSON.stringify(value.slice(0, -1) + (value.endsWith('x') ? 'y' : 'x'))}`;
    expect(lines[index]).toContain(field);
    lines[index] = lines[index]!.replace(field, edited);
    await expectBroken(`${lines.join('\n')}\n`, sequenceOf(lines[index]!));
  });

  it('a deleted record', async () => {
    const lines = linesOf(full.Export);
    const [removed] = lines.splice(4, 1);
    await expectBroken(`${lines.join('\n')}\n`, sequenceOf(removed!));
  });

  it('two records swapped', async () => {
    const lines = linesOf(full.Export);
    [lines[5], lines[6]] = [lines[6]!, lines[5]!];
    await expectBroken(`${lines.join('\n')}\n`, 6);
  });

  it('a record appended from another export', async () => {
    const other = await t.call('ExportAuditLog', { FromSequence: 2, ToSequence: 2 });
    await expectBroken(full.Export + other.Export, full.ToSequence + 1);
  });

  it('a malformed line is reported, never thrown', async () => {
    await expectBroken(`${full.Export}{"Sequence":\n`, full.ToSequence + 1);
  });

  it('a changed signature: the chain still holds, the signature does not', async () => {
    const der = Buffer.from(full.Signature, 'base64');
    der.writeUInt8(der.readUInt8(der.length - 1) ^ 0x01, der.length - 1);
    const changed = der.toString('base64');
    expect(await verify(full.Export, changed)).toMatchObject({ Valid: false, SignatureValid: false, ChainValid: true, FirstBrokenSequence: null });
    expect(opensslVerifies(full.Export, changed, full.SigningPublicKey)).toBe(false);
  });

  it('an edit re-signed with another key passes openssl with that key, but not the chain or this instance’s key', async () => {
    const lines = linesOf(full.Export);
    lines[2] = lines[2]!.replace('"Outcome":"SUCCESS"', '"Outcome":"FAILURE"');
    const forged = `${lines.join('\n')}\n`;
    const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signature = sign('sha256', Buffer.from(forged), attacker.privateKey).toString('base64');
    const attackerPem = attacker.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(opensslVerifies(forged, signature, attackerPem)).toBe(true);
    expect(await verify(forged, signature, attackerPem)).toMatchObject({ Valid: false, SignatureValid: true, ChainValid: false, FirstBrokenSequence: 3 });
    expect(await verify(forged, signature)).toMatchObject({ Valid: false, SignatureValid: false, ChainValid: false });
  });
});

describe('while the default key store is disconnected', () => {
  it('verifies with the cached public key, which the HSM’s key overwrites when they differ', async () => {
    await t.close();
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const db = new Database(path.join(t.dataDir, 'registry.sqlite'));
    expect(db.prepare('UPDATE meta SET value = ? WHERE key = ?').run(stranger, AUDIT_SIGNING_KEY_META).changes).toBe(1);
    db.close();
    t = await createTestCore(t.dataDir);
    await t.call('ConnectKeyStore', { KeyStoreId: DEFAULT_KEY_STORE_ID, KeyStorePassword: CANARY_PASSWORD });
    expect(await verify(full.Export)).toMatchObject({ Valid: true });
    await t.call('DisconnectKeyStore', { KeyStoreId: DEFAULT_KEY_STORE_ID });
    try {
      expect(await verify(full.Export)).toMatchObject({ Valid: true });
    } finally {
      await t.call('ConnectKeyStore', { KeyStoreId: DEFAULT_KEY_STORE_ID, KeyStorePassword: CANARY_PASSWORD });
    }
  });

  it('neither exports nor shows the key', async () => {
    await t.call('DisconnectKeyStore', { KeyStoreId: DEFAULT_KEY_STORE_ID });
    try {
      expect(await verify(full.Export)).toMatchObject({ Valid: true });
      expect((await t.fail('ExportAuditLog', {})).Code).toBe('Forbidden.KeyStoreState');
      expect((await t.fail('GetAuditSigningKey', {})).Code).toBe('Forbidden.KeyStoreState');
    } finally {
      await t.call('ConnectKeyStore', { KeyStoreId: DEFAULT_KEY_STORE_ID, KeyStorePassword: CANARY_PASSWORD });
    }
  });
});

describe('kms ExportAuditLog', () => {
  it('prints the export as JSON, and openssl verifies it', async () => {
    await t.close();
    const env = { KMS_DATA_DIR: t.dataDir, KMS_DEFAULT_KEYSTORE_PASSWORD: CANARY_PASSWORD };
    const result = await runKms(['ExportAuditLog', '--FromSequence', '1', '--ToSequence', '4'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toMatchObject({ FromSequence: 1, ToSequence: 4, RecordCount: 4, SigningPublicKey: full.SigningPublicKey });
    expect(opensslVerifies(result.json.Export as string, result.json.Signature as string, full.SigningPublicKey)).toBe(true);
    t = await createTestCore(t.dataDir);
  }, 60_000);
});
