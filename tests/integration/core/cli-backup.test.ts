import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKms, type CliResult } from '../../support/run-cli';
import { CANARY_PASSWORD, removeDir } from '../../support/test-core';

const BACKUP_PASSWORD = 'Cli-Backup-Pass-2026';

/**
 * `kms` delivers the backup file itself: --output FILE for CreateBackup (never standard output),
 * --input FILE for the operations that read one. Real processes, real SoftHSM2 token and SQLite.
 */
describe('kms backup files: --output and --input', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'keyward-cli-backup-'));
  const outDir = mkdtempSync(path.join(tmpdir(), 'keyward-cli-backup-out-'));
  const env = { KMS_DATA_DIR: dataDir, KMS_DEFAULT_KEYSTORE_PASSWORD: CANARY_PASSWORD, BACKUP_PW: BACKUP_PASSWORD };
  const plaintext = Buffer.from('sealed before the backup').toString('base64');
  let ciphertext = '';
  let backupFile = '';

  const lastBackupId = async (): Promise<string | null> => {
    const status = await runKms(['DescribeBackupStatus'], { env });
    expect(status.code, status.stderr).toBe(0);
    return (status.json.LastBackup as { BackupId: string } | null)?.BackupId ?? null;
  };
  const expectNoSecretIn = (result: CliResult): void => {
    expect(result.stdout).not.toContain(BACKUP_PASSWORD);
    expect(result.stderr).not.toContain(BACKUP_PASSWORD);
  };

  beforeAll(async () => {
    const created = await runKms(['CreateKey', '--KeySpec', 'Aliyun_AES_256', '--Alias', 'alias/cli-backup'], { env });
    expect(created.code, created.stderr).toBe(0);
    const sealed = await runKms(['Encrypt', '--KeyId', 'alias/cli-backup', '--Plaintext', plaintext], { env });
    expect(sealed.code, sealed.stderr).toBe(0);
    ciphertext = sealed.json.CiphertextBlob as string;
  });
  afterAll(() => {
    removeDir(dataDir);
    removeDir(outDir);
  });

  it('writes CreateBackup to --output (0600, whole, named in the output) and VerifyBackup --input accepts it', async () => {
    backupFile = path.join(outDir, 'first.kwbackup');
    const made = await runKms(['CreateBackup', '--pin-env', 'BACKUP_PW', '--Description', 'cli drill', '--output', backupFile], { env });
    expect(made.code, made.stderr).toBe(0);
    expectNoSecretIn(made);
    expect(made.json.File).toBe(backupFile);
    expect(made.json.BackupId).toMatch(/^bkp-/);
    expect(statSync(backupFile).size).toBe(made.json.SizeBytes);
    expect(statSync(backupFile).mode & 0o777).toBe(0o600);
    // Only the file itself: no temporary name left next to it.
    expect(readdirSync(outDir)).toEqual(['first.kwbackup']);
    // The backup is not on standard output: the output is the JSON summary only.
    expect(made.stdout.length).toBeLessThan(8192);

    const described = await runKms(['DescribeBackup', '--input', backupFile], { env });
    expect(described.code, described.stderr).toBe(0);
    expect((described.json.Manifest as { BackupId: string }).BackupId).toBe(made.json.BackupId);

    const verified = await runKms(['VerifyBackup', '--input', backupFile, '--pin-env', 'BACKUP_PW'], { env });
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.json.Verified).toBe(true);
    expectNoSecretIn(verified);

    const wrong = await runKms(['VerifyBackup', '--input', backupFile], { env, stdin: 'Not-the-backup-password\n' });
    expect(wrong.code).toBe(1);
    expect(wrong.json.Code).toBe('IncorrectBackupPassword');
  });

  it('refuses CreateBackup without --output before anything runs (exit 2, no backup made)', async () => {
    const before = await lastBackupId();
    const refused = await runKms(['CreateBackup', '--pin-env', 'BACKUP_PW'], { env });
    expect(refused.code).toBe(2);
    expect(refused.json.Code).toBe('InvalidParameter');
    expect(refused.json.Message).toContain('--output');
    expect(refused.stdout).toBe('');
    expectNoSecretIn(refused);
    expect(await lastBackupId()).toBe(before);
    expect(readdirSync(outDir).filter((name) => name !== 'first.kwbackup')).toEqual([]);
  });

  it('refuses an existing --output file (exit 1) and leaves it as it was', async () => {
    const existing = path.join(outDir, 'keep-me.kwbackup');
    writeFileSync(existing, 'the officer’s own file');
    const before = await lastBackupId();
    const refused = await runKms(['CreateBackup', '--pin-env', 'BACKUP_PW', '--output', existing], { env });
    expect(refused.code).toBe(1);
    expect(refused.json.Message).toContain('already exists');
    expect(readFileSync(existing, 'utf8')).toBe('the officer’s own file');
    expect(await lastBackupId()).toBe(before);
    expect(readdirSync(outDir).sort()).toEqual(['first.kwbackup', 'keep-me.kwbackup']);
  });

  it('takes --output and --input only where the operation makes or reads a file (exit 2)', async () => {
    const cases: string[][] = [
      ['ListKeys', '--output', path.join(outDir, 'keys.json')],
      ['CreateKey', '--input', backupFile],
      ['DescribeBackup'],
      ['RestoreBackup', '--pin-env', 'BACKUP_PW'],
      ['DescribeBackup', '--input', backupFile, '--FileId', 'file-AAAAAAAAAAAAAAAAAAAAAAAA'],
    ];
    for (const args of cases) {
      const refused = await runKms(args, { env });
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.json.Code, args.join(' ')).toBe('InvalidParameter');
    }
    expect(existsSync(path.join(outDir, 'keys.json'))).toBe(false);
    const missing = await runKms(['DescribeBackup', '--input', path.join(outDir, 'no-such.kwbackup')], { env });
    expect(missing.code).toBe(1);
    expect(missing.json.Code).toBe('NotFound.File');
  });

  it('restores --input into a fresh --data-dir (even with the key store password exported) and the old ciphertext decrypts', async () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'keyward-cli-restore-'));
    try {
      // The officer's shell may still export the key store password: the CLI must not initialize a
      // default key store in the new directory first (it would no longer be empty).
      const restoreEnv = { KMS_DEFAULT_KEYSTORE_PASSWORD: CANARY_PASSWORD };
      const restored = await runKms(['RestoreBackup', '--data-dir', fresh, '--input', backupFile], { env: restoreEnv, stdin: `${BACKUP_PASSWORD}\n` });
      expect(restored.code, restored.stderr).toBe(0);
      expectNoSecretIn(restored);
      expect(restored.json.KeyStores).toEqual(expect.arrayContaining([expect.objectContaining({ KeyStoreType: 'DEFAULT', Keys: 1, Material: 'RESTORED_TOKEN' })]));

      const freshEnv = { KMS_DATA_DIR: fresh, KMS_DEFAULT_KEYSTORE_PASSWORD: CANARY_PASSWORD };
      const opened = await runKms(['Decrypt', '--CiphertextBlob', ciphertext], { env: freshEnv });
      expect(opened.code, opened.stderr).toBe(0);
      expect(opened.json.Plaintext).toBe(plaintext);
      const audit = await runKms(['VerifyAuditLog'], { env: freshEnv });
      expect(audit.json.Valid).toBe(true);
      // The backup file is the officer's: reading it never moves or deletes it.
      expect(existsSync(backupFile)).toBe(true);
    } finally {
      removeDir(fresh);
    }
  }, 120_000);
});
