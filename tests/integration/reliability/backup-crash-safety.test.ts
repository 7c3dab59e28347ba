/**
 * R3 for backup and restore: processes running the real core are SIGKILLed at seeded points of
 * CreateBackup (deriving, snapshot, encrypting, recording; the kms CLI delivering to --output too)
 * and of RestoreBackup (deriving, decrypting into staging, recording, right after the commit
 * marker appears, reopening). After a backup is cut: no file under a final name that is not a
 * whole backup, the exchange emptied at the next start, the registry opens, the audit chain
 * verifies and every key works. After a restore is cut: the target data directory is either
 * empty (a first run that can take the restore again) or wholly restored (every key, the old
 * ciphertext decrypts, the audit chain verifies with one RestoreBackup record) — never half.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, removeDir, type TestCore } from '../../support/test-core';
import { auditRows, hasRestoreStaging, takeBackupFile, tokenObjectClasses } from './support/backup-files';
import { writeFigures } from './support/figures';
import { runDriverAndKillAt, type KillPoint } from './support/kill-at';
import { Random, suiteSeed } from './support/random';

const SEED = suiteSeed(0x5eed_0020);
const KEY_STORE_PASSWORD = 'Crash7BackupQz';
const BACKUP_PASSWORD = 'Crash-Backup-Pass-2026';
const KEYS = 4;
const DRIVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'backup-driver.ts');
const ENV = { ...process.env, KW_CRASH_PASSWORD: KEY_STORE_PASSWORD, KW_BACKUP_PASSWORD: BACKUP_PASSWORD };
const CKO_DATA = 0;
const CKO_SECRET_KEY = 4;

const random = new Random(SEED);
const work = mkdtempSync(path.join(tmpdir(), 'keyward-backup-crash-'));
const sourceDir = path.join(work, 'source');
const goodBackup = path.join(work, 'good.kwbackup');
let backupId = '';
let sealed = '';
const figures = { backupKills: 0, finalFilesChecked: 0, acknowledged: 0, cliKills: 0, cliCompleted: 0, cliFilesWhole: 0, restoreKills: 0, empty: 0, whole: 0, wholeBeforeAnswer: 0, appliedAtStart: 0, droppedAtStart: 0 };
const cutAt: Record<string, number> = {};

function countCut(line: string): void {
  const where = line.startsWith('PROGRESS ') ? line.split(' ').slice(2).join(' ') : (line.split(' ')[0] ?? '') || 'start';
  cutAt[where] = (cutAt[where] ?? 0) + 1;
}

beforeAll(async () => {
  mkdirSync(sourceDir, { mode: 0o700 });
  const source = await createTestCore(sourceDir);
  try {
    await source.call('InitializeDefaultKeyStore', { KeyStorePassword: KEY_STORE_PASSWORD });
    const keyIds: string[] = [];
    for (let index = 0; index < KEYS; index += 1) keyIds.push((await source.call('CreateKey', { KeySpec: 'Aliyun_AES_256' })).KeyMetadata.KeyId);
    sealed = (await source.call('Encrypt', { KeyId: keyIds[0]!, Plaintext: Buffer.from('sealed before').toString('base64') })).CiphertextBlob;
    const made = await source.call('CreateBackup', { Password: BACKUP_PASSWORD, Description: 'crash suite' });
    backupId = made.BackupId;
    takeBackupFile(source.core, backupId, goodBackup);
  } finally {
    await source.close();
  }
}, 120_000);

afterAll(() => removeDir(work));

async function expectKeysWork(t: TestCore): Promise<void> {
  await t.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: KEY_STORE_PASSWORD });
  const listed = await t.call('ListKeys', { PageSize: 100 });
  expect(listed.TotalCount).toBe(KEYS);
  expect(Buffer.from((await t.call('Decrypt', { CiphertextBlob: sealed })).Plaintext, 'base64').toString()).toBe('sealed before');
  for (const { KeyId } of listed.Keys) {
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId, Plaintext: Buffer.from(KeyId).toString('base64') });
    expect(Buffer.from((await t.call('Decrypt', { CiphertextBlob })).Plaintext, 'base64').toString()).toBe(KeyId);
  }
}

describe(`R3 crash safety of backup and restore (seed ${SEED})`, () => {
  it('a CreateBackup cut anywhere leaves no half file under a final name, and the registry and keys whole', async () => {
    const points: KillPoint[] = [
      { line: 'PROGRESS 0.02', delayMs: 50 + random.int(400) },
      { line: 'PROGRESS 0.1 ', delayMs: random.int(3) },
      { line: 'PROGRESS 0.45', delayMs: random.int(2) },
      { line: 'PROGRESS 0.45', delayMs: 5 + random.int(20) },
      { line: 'PROGRESS 0.95', delayMs: 0 },
      { line: 'BACKUP', delayMs: random.int(400) },
    ];
    let createRecords = auditRows(sourceDir).filter((row) => row.operation === 'CreateBackup' && row.outcome === 'SUCCESS').length;
    for (const [run, point] of points.entries()) {
      const killed = await runDriverAndKillAt(DRIVER, [JSON.stringify({ mode: 'backup', dataDir: sourceDir })], point, ENV);
      expect(killed.signal, `backup run ${run} ended on its own: ${killed.stderr}`).toBe('SIGKILL');
      figures.backupKills += 1;
      countCut(killed.killedAfter);
      const acknowledged = killed.lines.filter((line) => line.startsWith('BACKUP ')).length;
      figures.acknowledged += acknowledged;

      // What the kill left in the exchange: temporary names and snapshot copies, or whole backups.
      const exchange = path.join(sourceDir, 'exchange');
      const finals = (existsSync(exchange) ? readdirSync(exchange) : [])
        .filter((name) => name.startsWith('out-') && !name.endsWith('.partial'))
        .map((name) => {
          const copy = path.join(work, `final-${run}-${name}`);
          copyFileSync(path.join(exchange, name), copy);
          return copy;
        });
      const t = await createTestCore(sourceDir);
      try {
        expect(readdirSync(exchange), 'the exchange is emptied at start').toEqual([]);
        expect(await t.call('VerifyAuditLog', {})).toMatchObject({ Valid: true });
        await expectKeysWork(t);
        // Every answered backup has its record (same transaction as its row), and at most the cut one more.
        const records = auditRows(sourceDir).filter((row) => row.operation === 'CreateBackup' && row.outcome === 'SUCCESS').length;
        expect(records - createRecords).toBeGreaterThanOrEqual(acknowledged);
        expect(records - createRecords).toBeLessThanOrEqual(acknowledged + 1);
        createRecords = records;
        expect((await t.call('DescribeBackupStatus', {})).LastBackup).not.toBeNull();
        // A file under its final name in the exchange (cut after the rename) is a whole backup.
        for (const file of finals) {
          await t.call('VerifyBackup', { FileId: t.core.files.registerIncoming(file, false), Password: BACKUP_PASSWORD });
          figures.finalFilesChecked += 1;
        }
      } finally {
        await t.close();
      }
    }
  }, 120_000);

  it('kms CreateBackup --output cut anywhere leaves either no file or a whole backup under the output name', async () => {
    const outDir = mkdtempSync(path.join(work, 'out-'));
    const delays = [800 + random.int(1500), 2000 + random.int(2000)];
    for (const [run, delayMs] of delays.entries()) {
      const output = path.join(outDir, `cut-${run}.kwbackup`);
      const killed = await runKmsAndKill(['CreateBackup', '--data-dir', sourceDir, '--output', output, '--secret-env', 'Password=KW_BACKUP_PASSWORD'], delayMs);
      if (killed.signal === 'SIGKILL') figures.cliKills += 1;
      else figures.cliCompleted += 1;
      const names = readdirSync(outDir);
      // Only the output itself or the hidden temporary name of a delivery in progress.
      for (const name of names) expect(/^cut-\d+\.kwbackup$/.test(name) || /^\.cut-\d+\.kwbackup\.[0-9a-f]+\.partial$/.test(name), name).toBe(true);
      if (existsSync(output)) {
        const t = await createTestCore(mkdtempSync(path.join(work, 'verify-')));
        try {
          await t.call('VerifyBackup', { FileId: t.core.files.registerIncoming(output, false), Password: BACKUP_PASSWORD });
          figures.cliFilesWhole += 1;
        } finally {
          await t.close();
          removeDir(t.dataDir);
        }
      }
      expect(killed.signal === 'SIGKILL' || killed.code === 0, `kms ended ${killed.code}: ${killed.stderr}`).toBe(true);
    }
    const t = await createTestCore(sourceDir);
    try {
      expect(await t.call('VerifyAuditLog', {})).toMatchObject({ Valid: true });
      await expectKeysWork(t);
    } finally {
      await t.close();
    }
  }, 90_000);

  it('a RestoreBackup cut anywhere leaves the target empty (and restorable) or wholly restored, never half', async () => {
    const points: KillPoint[] = [
      { line: 'PROGRESS 0.05', delayMs: random.int(300) },
      { line: 'PROGRESS 0.2', delayMs: random.int(5) },
      { line: 'PROGRESS 0.85', delayMs: random.int(3) },
      // Right after the commit point: the reopening (close, move files, open) is cut.
      { when: () => existsSync(path.join(target, 'restore-staging', 'COMMITTED')), delayMs: 0 },
      { when: () => existsSync(path.join(target, 'restore-staging', 'COMMITTED')), delayMs: random.int(4) },
      { line: 'PROGRESS 0.95', delayMs: random.int(10) },
      { line: 'PROGRESS 0.95', delayMs: 20 + random.int(150) },
      { line: 'RESTORED', delayMs: 0 },
    ];
    let target = mkdtempSync(path.join(work, 'target-'));
    for (const [run, point] of points.entries()) {
      const killed = await runDriverAndKillAt(DRIVER, [JSON.stringify({ mode: 'restore', dataDir: target, backupFile: goodBackup })], point, ENV);
      expect(killed.signal, `restore run ${run} ended on its own: ${killed.stderr}`).toBe('SIGKILL');
      figures.restoreKills += 1;
      countCut(killed.killedAfter);
      const answered = killed.lines.some((line) => line.startsWith('RESTORED '));
      const notices: string[] = [];
      const t = await createTestCore(target, { onNotice: (message) => notices.push(message) });
      if (notices.some((message) => message.startsWith('finished a restore'))) figures.appliedAtStart += 1;
      if (notices.some((message) => message.startsWith('dropped a restore'))) figures.droppedAtStart += 1;
      try {
        expect(hasRestoreStaging(target), 'restore staging left after the start').toBe(false);
        expect(await t.call('VerifyAuditLog', {})).toMatchObject({ Valid: true });
        const status = await t.call('DescribeBackupStatus', {});
        if (status.RestoredFrom === null) {
          expect(answered, 'RestoreBackup answered, yet the data directory is empty').toBe(false);
          await expectEmpty(t);
          figures.empty += 1;
        } else {
          expect(status.RestoredFrom.BackupId).toBe(backupId);
          await expectWhole(t);
          figures.whole += 1;
          if (!answered) figures.wholeBeforeAnswer += 1;
        }
      } finally {
        await t.close();
      }
      // An emptied target takes the next run as it is: a dropped restore leaves it restorable.
      if (restoredState(target) === 'WHOLE') {
        removeDir(target);
        target = mkdtempSync(path.join(work, 'target-'));
      }
    }
    // Both sides of the commit point were cut, and a cut after it was finished at the next start.
    expect(figures.empty, JSON.stringify(figures)).toBeGreaterThan(0);
    expect(figures.wholeBeforeAnswer, JSON.stringify(figures)).toBeGreaterThan(0);
    writeFigures({
      suite: 'R3-backup',
      title: 'Crash safety of backup and restore',
      seed: SEED,
      lines: [
        `${figures.backupKills} SIGKILLs of a core running CreateBackup in a loop (${figures.acknowledged} backups answered meanwhile, ${figures.finalFilesChecked} cut after the exchange's rename and whole), ${figures.cliKills} of kms CreateBackup --output (${figures.cliCompleted} more finished first; ${figures.cliFilesWhole} whole files under the output name, no other file there but a delivery's hidden temporary): after each, no half file under a final name, the exchange emptied at start, the audit chain valid, all ${KEYS} keys working`,
        `${figures.restoreKills} SIGKILLs of a core running RestoreBackup: ${figures.empty} left an empty data directory (restorable again), ${figures.whole} a whole restore (${figures.wholeBeforeAnswer} cut before RestoreBackup answered; ${figures.appliedAtStart} finished by the next start from the commit marker, ${figures.droppedAtStart} staging dropped at start), none half`,
        `cut at: ${Object.entries(cutAt)
          .map(([where, count]) => `${where} ×${count}`)
          .join(', ')}`,
      ],
      findings: [],
    });
  }, 150_000);
});

function restoredState(dataDir: string): 'EMPTY' | 'WHOLE' {
  return auditRows(dataDir).some((row) => row.operation === 'RestoreBackup' && row.outcome === 'SUCCESS') ? 'WHOLE' : 'EMPTY';
}

/** A first-run data directory: nothing restored, nothing half there. */
async function expectEmpty(t: TestCore): Promise<void> {
  expect((await t.call('ListKeys', {})).TotalCount).toBe(0);
  const { KeyStores } = await t.call('DescribeKeyStores', { KeyStoreId: 'kst-default' });
  expect(KeyStores[0]?.Initialized).toBe(false);
  expect(tokenObjectClasses(t.dataDir)).toEqual([]);
  const tokenDir = path.join(t.dataDir, 'softhsm', 'tokens');
  expect(existsSync(tokenDir) ? readdirSync(tokenDir) : []).toEqual([]);
}

/** Every key of the backup, its material, the old ciphertext and one RestoreBackup record. */
async function expectWhole(t: TestCore): Promise<void> {
  expect(auditRows(t.dataDir).filter((row) => row.operation === 'RestoreBackup' && row.outcome === 'SUCCESS')).toHaveLength(1);
  await expectKeysWork(t);
  const classes = tokenObjectClasses(t.dataDir);
  expect(classes.filter((objectClass) => objectClass === CKO_SECRET_KEY)).toHaveLength(KEYS + (classes.includes(CKO_DATA) ? 1 : 0));
}

/** Runs the real kms (as tests/support/run-cli.ts does) and SIGKILLs it after `delayMs`, unless it finished first. */
function runKmsAndKill(args: string[], delayMs: number): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const env = { ...process.env, KMS_DEFAULT_KEYSTORE_PASSWORD: KEY_STORE_PASSWORD, KW_BACKUP_PASSWORD: BACKUP_PASSWORD };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'electron/cli/kms.ts'), ...args], { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}
