/**
 * Backup files that are damaged, cut, foreign, opened with the wrong password or made by a newer
 * Keyward, restores into data directories that already hold something, and backups taken while
 * the app keeps working. Each refused restore answers its own error code (never InternalFailure)
 * and leaves the target data directory as it was: same files, same registry rows and token files,
 * no restore staging left, the audit log grown by the refusal's FAILURE record only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../shared/wire';
import { CANARY_PASSWORD, createInitializedTestCore, createTestCore, disposeTestCore, removeDir, type TestCore } from '../../support/test-core';
import {
  auditRows,
  backupLayout,
  dataDirState,
  hasRestoreStaging,
  readBackupWhole,
  takeBackupFile,
  tokenObjectClasses,
  writeCraftedBackup,
} from '../reliability/support/backup-files';

const PASSWORD = 'Faults-Backup-Pass-2026';
const CKO_DATA = 0;
const CKO_SECRET_KEY = 4;
const plaintext = (text: string): string => Buffer.from(text).toString('base64');

let work: string;
let source: TestCore;
let target: TestCore;
let good: string;
let keyIds: string[];
let sealed: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'keyward-backup-faults-'));
  source = await createInitializedTestCore();
  keyIds = [];
  for (const description of ['one', 'two', 'three']) keyIds.push((await source.call('CreateKey', { KeySpec: 'Aliyun_AES_256', Description: description })).KeyMetadata.KeyId);
  await source.call('CreateAlias', { AliasName: 'alias/faults', KeyId: keyIds[0]! });
  sealed = (await source.call('Encrypt', { KeyId: keyIds[1]!, Plaintext: plaintext('made before the backup') })).CiphertextBlob;
  const backup = await source.call('CreateBackup', { Password: PASSWORD, Description: 'faults' });
  good = takeBackupFile(source.core, backup.BackupId, path.join(work, 'good.kwbackup'));
  target = await createTestCore();
}, 120_000);

afterAll(async () => {
  await disposeTestCore(target);
  await disposeTestCore(source);
  removeDir(work);
});

/** Grows a registry by `mebibytes` of zeros in a table of its own: a large registry, for the copy to take many steps. */
function padRegistry(dataDir: string, mebibytes: number): void {
  const db = new Database(path.join(dataDir, 'registry.sqlite'));
  try {
    db.exec('CREATE TABLE test_padding (filler BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO test_padding (filler) VALUES (zeroblob(1048576))');
    db.transaction(() => {
      for (let index = 0; index < mebibytes; index += 1) insert.run();
    })();
  } finally {
    db.close();
  }
}

/** A copy of the good backup changed by `change`. */
function variant(name: string, change: (bytes: Buffer) => Buffer): string {
  const file = path.join(work, name);
  writeFileSync(file, change(Buffer.from(readFileSync(good))));
  return file;
}

function flipAt(offset: number): (bytes: Buffer) => Buffer {
  return (bytes) => {
    bytes[offset] = bytes[offset]! ^ 0x20;
    return bytes;
  };
}

async function outcome(t: TestCore, op: 'DescribeBackup' | 'VerifyBackup' | 'RestoreBackup', file: string, password = PASSWORD): Promise<string> {
  const fileId = t.core.files.registerIncoming(file, false);
  const input = op === 'DescribeBackup' ? { FileId: fileId } : { FileId: fileId, Password: password };
  const answer = await t.core.dispatch(op, input, { transport: 'internal' });
  return answer.ok ? 'OK' : answer.error.Code;
}

/**
 * RestoreBackup of `file` into `t` must answer `code` and change nothing but the audit log, which
 * gains exactly the refusal's FAILURE record.
 */
async function expectRefusedRestore(t: TestCore, file: string, code: string, password = PASSWORD): Promise<void> {
  const before = dataDirState(t.dataDir);
  const answer = await outcome(t, 'RestoreBackup', file, password);
  expect(answer, `RestoreBackup of ${path.basename(file)}`).toBe(code);
  const after = dataDirState(t.dataDir);
  expect(after.files, `files after refusing ${path.basename(file)}`).toEqual(before.files);
  expect(after.state, `registry and token after refusing ${path.basename(file)}`).toEqual(before.state);
  expect(hasRestoreStaging(t.dataDir), 'restore staging left behind').toBe(false);
  const added = auditRows(t.dataDir, before.auditRecords);
  expect(added.map((row) => `${row.operation} ${row.outcome} ${row.error_code}`)).toEqual([`RestoreBackup FAILURE ${code}`]);
}

describe('damaged, cut and foreign backup files', () => {
  it('tells a flipped byte from a cut file from a wrong password, never an internal failure, and leaves the target as it was', async () => {
    const layout = backupLayout(good);
    const middleOfPayload = Math.floor((layout.headerEnd + layout.trailerStart) / 2);
    const manifestByte = readFileSync(good).indexOf('"SchemaVersion"', layout.headerStart) + 2;
    expect(manifestByte).toBeGreaterThan(layout.headerStart);
    // [name, file, Describe, Verify and Restore answer]
    const cases: [string, string, string, string][] = [
      ['payload byte', variant('flip-payload', flipAt(middleOfPayload)), 'OK', 'InvalidBackup.Corrupted'],
      ['last payload byte', variant('flip-payload-end', flipAt(layout.trailerStart - 1)), 'OK', 'InvalidBackup.Corrupted'],
      ['manifest byte', variant('flip-manifest', flipAt(manifestByte)), 'InvalidBackup.Corrupted', 'InvalidBackup.Corrupted'],
      ['GCM tag', variant('flip-tag', flipAt(layout.trailerStart + 3)), 'OK', 'InvalidBackup.Corrupted'],
      ['recorded length', variant('flip-length', flipAt(layout.trailerStart + 16 + 7)), 'InvalidBackup.Corrupted', 'InvalidBackup.Corrupted'],
      ['header hash', variant('flip-hash', flipAt(layout.trailerStart + 30)), 'InvalidBackup.Corrupted', 'InvalidBackup.Corrupted'],
      ['magic', variant('flip-magic', flipAt(3)), 'InvalidBackup.NotABackup', 'InvalidBackup.NotABackup'],
      ['cut inside the magic', variant('cut-magic', (bytes) => bytes.subarray(0, 9)), 'InvalidBackup.NotABackup', 'InvalidBackup.NotABackup'],
      ['cut inside the header length', variant('cut-length', (bytes) => bytes.subarray(0, layout.headerStart - 2)), 'InvalidBackup.Truncated', 'InvalidBackup.Truncated'],
      ['cut inside the header', variant('cut-header', (bytes) => bytes.subarray(0, layout.headerStart + 40)), 'InvalidBackup.Truncated', 'InvalidBackup.Truncated'],
      ['cut after the header', variant('cut-after-header', (bytes) => bytes.subarray(0, layout.headerEnd)), 'InvalidBackup.Truncated', 'InvalidBackup.Truncated'],
      ['cut inside the payload', variant('cut-payload', (bytes) => bytes.subarray(0, middleOfPayload)), 'InvalidBackup.Truncated', 'InvalidBackup.Truncated'],
      ['cut inside the trailer', variant('cut-trailer', (bytes) => bytes.subarray(0, layout.trailerStart + 20)), 'InvalidBackup.Truncated', 'InvalidBackup.Truncated'],
      ['last byte lost', variant('cut-last', (bytes) => bytes.subarray(0, bytes.length - 1)), 'InvalidBackup.Truncated', 'InvalidBackup.Truncated'],
      // Long enough to look whole: the trailer is intact, the length it records is not the file's.
      [
        'bytes lost in the middle',
        variant('cut-middle', (bytes) => Buffer.concat([bytes.subarray(0, middleOfPayload), bytes.subarray(middleOfPayload + 100)])),
        'InvalidBackup.Corrupted',
        'InvalidBackup.Corrupted',
      ],
      ['random bytes', variant('random', () => randomBytes(4096)), 'InvalidBackup.NotABackup', 'InvalidBackup.NotABackup'],
      ['empty file', variant('empty', () => Buffer.alloc(0)), 'InvalidBackup.NotABackup', 'InvalidBackup.NotABackup'],
      ['a text file', variant('text', () => Buffer.from('{"Manifest": {}}\n')), 'InvalidBackup.NotABackup', 'InvalidBackup.NotABackup'],
    ];
    for (const [name, file, describeCode, openCode] of cases) {
      expect(await outcome(target, 'DescribeBackup', file), `DescribeBackup: ${name}`).toBe(describeCode);
      expect(await outcome(target, 'VerifyBackup', file), `VerifyBackup: ${name}`).toBe(openCode);
      await expectRefusedRestore(target, file, openCode);
    }
  }, 90_000);

  it('refuses a wrong password with its own error, after the damage checks', async () => {
    expect(await outcome(target, 'VerifyBackup', good, `${PASSWORD}-wrong`)).toBe('IncorrectBackupPassword');
    await expectRefusedRestore(target, good, 'IncorrectBackupPassword', `${PASSWORD}-wrong`);
    // A damaged header is told as damage even with a wrong password: no key is derived for it.
    const layout = backupLayout(good);
    await expectRefusedRestore(target, variant('flip-header-wrong', flipAt(layout.headerStart + 5)), 'InvalidBackup.Corrupted', `${PASSWORD}-wrong`);
  }, 60_000);

  it('refuses a backup of a newer registry schema or file format, correctly signed, as NewerSchema', async () => {
    const { manifest, files } = await readBackupWhole(good, PASSWORD);
    const newerSchema = await writeCraftedBackup(path.join(work, 'newer-schema'), { manifest: { ...manifest, SchemaVersion: 99 }, files, password: PASSWORD });
    const newerFormat = await writeCraftedBackup(path.join(work, 'newer-format'), { manifest: { ...manifest, FormatVersion: 2 }, files, password: PASSWORD });
    // The same re-writing with the manifest unchanged restores: the crafted files differ only by the version.
    const rewritten = await writeCraftedBackup(path.join(work, 'rewritten'), { manifest, files, password: PASSWORD });
    expect(await outcome(target, 'VerifyBackup', rewritten)).toBe('OK');
    for (const file of [newerSchema, newerFormat]) {
      expect(await outcome(target, 'DescribeBackup', file)).toBe('InvalidBackup.NewerSchema');
      expect(await outcome(target, 'VerifyBackup', file)).toBe('InvalidBackup.NewerSchema');
      await expectRefusedRestore(target, file, 'InvalidBackup.NewerSchema');
    }
  }, 60_000);

  it('refuses key derivation beyond its limits as NotABackup, without deriving (a crafted file must not eat the machine)', async () => {
    const { manifest, files } = await readBackupWhole(good, PASSWORD);
    const cheap = { N: 2 ** 14, R: 8, P: 1 };
    const greedy = [
      { N: 2 ** 24, R: 8, P: 1 }, // 16 GiB
      { N: 2 ** 20, R: 32, P: 1 }, // each in range, 4 GiB together
      { N: 2 ** 20, R: 8, P: 16 }, // 1 GiB, and 16 times over
    ];
    for (const [index, kdf] of greedy.entries()) {
      const file = await writeCraftedBackup(path.join(work, `greedy-${index}`), { manifest: { ...manifest, Kdf: { Algorithm: 'scrypt', ...kdf } }, files, password: PASSWORD, derive: cheap });
      const started = Date.now();
      expect(await outcome(target, 'DescribeBackup', file), JSON.stringify(kdf)).toBe('InvalidBackup.NotABackup');
      await expectRefusedRestore(target, file, 'InvalidBackup.NotABackup');
      expect(Date.now() - started, `refusing ${JSON.stringify(kdf)} took long enough to have derived`).toBeLessThan(2_000);
    }
  }, 60_000);

  it('answers NotFound.File for a FileId no transport registered and for a registered file that is gone', async () => {
    const gone = variant('gone', (bytes) => bytes);
    const fileId = target.core.files.registerIncoming(gone, false);
    rmSync(gone);
    expect((await target.fail('VerifyBackup', { FileId: fileId, Password: PASSWORD })).Code).toBe('NotFound.File');
    expect((await target.fail('DescribeBackup', { FileId: fileId })).Code).toBe('NotFound.File');
    expect((await target.fail('RestoreBackup', { FileId: `file-${'A'.repeat(32)}`, Password: PASSWORD })).Code).toBe('NotFound.File');
    // A directory is no backup file.
    const directory = target.core.files.registerIncoming(work, false);
    expect((await target.fail('DescribeBackup', { FileId: directory })).Code).toBe('InvalidBackup.NotABackup');
  });
});

describe('restores into a data directory that is not empty', () => {
  it('refuses one that holds keys, and one whose default key store was only initialized, changing nothing', async () => {
    await expectRefusedRestore(source, good, 'Forbidden.DataDirNotEmpty');
    const initialized = await createInitializedTestCore();
    try {
      await expectRefusedRestore(initialized, good, 'Forbidden.DataDirNotEmpty');
    } finally {
      await disposeTestCore(initialized);
    }
  }, 60_000);

  it('still restores into the target after all those refusals, and an earlier ciphertext decrypts', async () => {
    // The refusals above left the long-lived target as a fresh one: it takes the good backup.
    expect(await outcome(target, 'RestoreBackup', good)).toBe('OK');
    await target.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: CANARY_PASSWORD });
    const opened = await target.call('Decrypt', { CiphertextBlob: sealed });
    expect(Buffer.from(opened.Plaintext, 'base64').toString()).toBe('made before the backup');
    expect((await target.call('VerifyAuditLog', {})).Valid).toBe(true);
    // Now it holds keys: a second restore is refused.
    await expectRefusedRestore(target, good, 'Forbidden.DataDirNotEmpty');
  }, 60_000);
});

describe('a restored token', () => {
  /*
   * SoftHSM2 deletes an object's .lock file with the object and fails the deletion
   * (CKR_FUNCTION_FAILED) when the lock is not there: a restore must bring back a token SoftHSM2
   * can delete from, not only read.
   */
  it('works as the original did: a key is destroyed when its deletion falls due, and the audit anchor moves on', async () => {
    let now = Date.now();
    const restored = await createTestCore(undefined, { now: () => new Date(now) });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
    try {
      expect(await outcome(restored, 'RestoreBackup', good)).toBe('OK');
      await restored.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: CANARY_PASSWORD });
      const secretKeys = (): number => tokenObjectClasses(restored.dataDir).filter((objectClass) => objectClass === CKO_SECRET_KEY).length;
      const before = secretKeys();
      await restored.call('ScheduleKeyDeletion', { KeyId: keyIds[2]!, PendingWindowInDays: 7 });
      now += 8 * 86_400_000;
      const report = await restored.core.runMaintenance();
      expect(report.failed).toEqual([]);
      expect(report.deleted).toEqual([keyIds[2]]);
      expect(secretKeys()).toBe(before - 1);
      // The anchor follows the records above within a second; replacing the restored one deletes it.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(warnings.filter((line) => line.startsWith('audit anchor'))).toEqual([]);
      expect((await restored.call('VerifyAuditLog', {})).Valid).toBe(true);
    } finally {
      console.warn = warn;
      await disposeTestCore(restored);
    }
  }, 60_000);
});

describe('backups while the app keeps working', () => {
  it('two CreateBackup at once: one at a time holds the gate, the other is refused as BackupInProgress or runs after it; every file made is whole', async () => {
    const answers = await Promise.all([1, 2].map((n) => source.core.dispatch('CreateBackup', { Password: PASSWORD, Description: `at once ${n}` }, { transport: 'internal' })));
    const made: string[] = [];
    for (const answer of answers) {
      if (!answer.ok) {
        expect(answer.error.Code).toBe('Forbidden.BackupInProgress');
        continue;
      }
      made.push(takeBackupFile(source.core, (answer.output as { BackupId: string }).BackupId, path.join(work, `at-once-${made.length}`)));
    }
    expect(made.length).toBeGreaterThanOrEqual(1);
    for (const file of made) expect(await outcome(target, 'VerifyBackup', file)).toBe('OK');
    // Nothing is left behind in the exchange: no .partial, no snapshot copy.
    expect(source.core.files.pendingBytes()).toBe(0);
  }, 60_000);

  /*
   * The registry is padded to ~48 MiB first, so that its copy takes dozens of steps with the event
   * loop running in between: long enough for a CreateKey to finish inside the copy if the gate did
   * not hold it back (its row would then be in the backup, its token object not: a half state).
   */
  it('serves Encrypt during the snapshot, holds a CreateKey issued mid-snapshot back until it is taken, and never backs up a half state', async () => {
    const busy = await createInitializedTestCore();
    try {
      const busyKeys: string[] = [];
      for (let index = 0; index < 3; index += 1) busyKeys.push((await busy.call('CreateKey', { KeySpec: 'Aliyun_AES_256' })).KeyMetadata.KeyId);
      padRegistry(busy.dataDir, 48);
      const copying: number[] = [];
      let createKey: Promise<{ ok: boolean; keyId?: string }> | null = null;
      let encryptions: Promise<number> | null = null;
      const onProgress = (event: ProgressEvent): void => {
        if (!event.message.startsWith('Copying the registry')) return;
        copying.push(Date.now());
        if (createKey) return;
        // Inside the backup's exclusive hold: a state change must wait, a crypto call must not.
        createKey = busy.core.dispatch('CreateKey', { KeySpec: 'Aliyun_AES_256', Description: 'mid-snapshot' }, { transport: 'internal' }).then((answer) => ({
          ok: answer.ok,
          keyId: answer.ok ? (answer.output as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId : undefined,
        }));
        encryptions = Promise.all(busyKeys.map((KeyId) => busy.call('Encrypt', { KeyId, Plaintext: plaintext('during the snapshot') }))).then(() => Date.now());
      };
      const answer = await busy.core.dispatch('CreateBackup', { Password: PASSWORD, Description: 'busy' }, { transport: 'internal', onProgress });
      if (!answer.ok) throw new Error(`CreateBackup failed: ${answer.error.Code}`);
      const created = answer.output as { BackupId: string; Manifest: { Counts: { Keys: number } } };
      expect(copying.length, 'the registry copy took too few steps to test anything').toBeGreaterThan(10);
      expect(await encryptions!, 'Encrypt waited for the snapshot').toBeLessThan(copying.at(-1)!);
      const late = await createKey!;
      expect(late.ok).toBe(true);

      // The backup holds the keys that existed when its snapshot was taken, registry and token alike.
      expect(created.Manifest.Counts.Keys).toBe(busyKeys.length);
      const file = takeBackupFile(busy.core, created.BackupId, path.join(work, 'busy.kwbackup'));
      const restored = await createTestCore();
      try {
        expect(await outcome(restored, 'RestoreBackup', file)).toBe('OK');
        await restored.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: CANARY_PASSWORD });
        const listed = await restored.call('ListKeys', { PageSize: 100 });
        expect(listed.Keys.map((key) => key.KeyId).sort()).toEqual([...busyKeys].sort());
        // One secret key object per key, and the audit anchor's HMAC key once an anchor (a data object) was written.
        const classes = tokenObjectClasses(restored.dataDir);
        const anchorKeys = classes.includes(CKO_DATA) ? 1 : 0;
        expect(classes.filter((objectClass) => objectClass === CKO_SECRET_KEY)).toHaveLength(busyKeys.length + anchorKeys);
        for (const KeyId of busyKeys) {
          const { CiphertextBlob } = await restored.call('Encrypt', { KeyId, Plaintext: plaintext(KeyId) });
          expect(Buffer.from((await restored.call('Decrypt', { CiphertextBlob })).Plaintext, 'base64').toString()).toBe(KeyId);
        }
        const material = await restored.core.dispatch('VerifyKeyStoreMaterial', { KeyStoreId: 'kst-default' }, { transport: 'internal' });
        if (material.ok || material.error.Code !== 'UnsupportedOperation') {
          if (!material.ok) throw new Error(`VerifyKeyStoreMaterial failed: ${material.error.Code}`);
          expect((material.output as { Problems: unknown[] }).Problems).toEqual([]);
        }
        expect((await restored.call('VerifyAuditLog', {})).Valid).toBe(true);
      } finally {
        await disposeTestCore(restored);
      }
    } finally {
      await disposeTestCore(busy);
    }
  }, 90_000);

  it('a maintenance round asked for during a restore neither hangs the restore nor runs on the replaced files', async () => {
    const restoring = await createTestCore();
    let maintenance: Promise<string> | null = null;
    try {
      const fileId = restoring.core.files.registerIncoming(good, false);
      const onProgress = (event: ProgressEvent): void => {
        if (!maintenance && event.message.startsWith('Decrypting')) {
          maintenance = restoring.core.runMaintenance().then(
            () => 'ran',
            (error: unknown) => (error as { code?: string }).code ?? String(error),
          );
        }
      };
      const restore = restoring.core.dispatch('RestoreBackup', { FileId: fileId, Password: PASSWORD }, { transport: 'internal', onProgress });
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), 30_000)));
      const answer = await Promise.race([restore, hung]);
      clearTimeout(timer);
      expect(answer === 'hung' ? 'hung' : answer.ok ? 'OK' : answer.error.Code).toBe('OK');
      expect(maintenance).not.toBeNull();
      // Held at the gate, then refused: the data directory it would have worked on was replaced.
      expect(await maintenance!).toBe('Forbidden.BackupInProgress');
      await restoring.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: CANARY_PASSWORD });
      expect((await restoring.call('ListKeys', {})).TotalCount).toBe(keyIds.length);
      expect((await restoring.call('VerifyAuditLog', {})).Valid).toBe(true);
    } finally {
      await disposeTestCore(restoring);
    }
  }, 60_000);
});
