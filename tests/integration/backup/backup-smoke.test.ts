import { describe, expect, it, vi } from 'vitest';
import { CANARY_PASSWORD, createInitializedTestCore, createTestCore, disposeTestCore } from '../../support/test-core';

const BACKUP_PASSWORD = 'Backup-Pass-2026-long';

describe('backup and restore, end to end through the dispatcher', () => {
  it('a ciphertext made before the backup decrypts after a restore into a new data directory', async () => {
    const source = await createInitializedTestCore();
    const created = await source.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyUsage: 'ENCRYPT/DECRYPT', Description: 'drill' });
    const keyId = created.KeyMetadata.KeyId;
    const sealed = await source.call('Encrypt', { KeyId: keyId, Plaintext: Buffer.from('before the backup').toString('base64') });
    const backup = await source.call('CreateBackup', { Password: BACKUP_PASSWORD, Description: 'smoke' });
    expect(backup.Manifest.Counts.Keys).toBe(1);
    const file = source.core.files.takeOutgoing(backup.BackupId);
    expect(file).not.toBeNull();

    const target = await createTestCore();
    const warn = vi.spyOn(console, 'warn');
    try {
      const fileId = target.core.files.registerIncoming(file!.path, false);
      const described = await target.call('DescribeBackup', { FileId: fileId });
      expect(described.Manifest.BackupId).toBe(backup.BackupId);
      expect((await target.fail('VerifyBackup', { FileId: fileId, Password: 'Wrong-password-123' })).Code).toBe('IncorrectBackupPassword');
      await target.call('VerifyBackup', { FileId: fileId, Password: BACKUP_PASSWORD });
      const restored = await target.call('RestoreBackup', { FileId: fileId, Password: BACKUP_PASSWORD });
      expect(restored.KeyStores.find((store) => store.KeyStoreType === 'DEFAULT')?.Keys).toBe(1);
      await target.call('ConnectKeyStore', { KeyStoreId: restored.KeyStores.find((store) => store.KeyStoreType === 'DEFAULT')!.KeyStoreId, KeyStorePassword: CANARY_PASSWORD });
      const opened = await target.call('Decrypt', { CiphertextBlob: sealed.CiphertextBlob });
      expect(Buffer.from(opened.Plaintext, 'base64').toString()).toBe('before the backup');
      const verdict = await target.call('VerifyAuditLog', {});
      expect(verdict.Valid).toBe(true);
      const status = await target.call('DescribeBackupStatus', {});
      expect(status.RestoredFrom?.BackupId).toBe(backup.BackupId);
      // The restored token's objects can still change: a new key, and the audit anchor moves over
      // the restored chain (SoftHSM2 refuses to touch an object whose .lock file did not come back).
      await target.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyUsage: 'ENCRYPT/DECRYPT', Description: 'after the restore' });
      await expect.poll(async () => (await target.call('GetAuditAnchor', {})).UnanchoredRecords, { timeout: 10_000 }).toBe(0);
      expect(warn.mock.calls.map((call) => String(call[0])).filter((line) => line.startsWith('audit anchor'))).toEqual([]);
    } finally {
      warn.mockRestore();
      await disposeTestCore(target);
      await disposeTestCore(source);
    }
  }, 120_000);
});
