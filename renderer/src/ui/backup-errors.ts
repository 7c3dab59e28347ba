import type { KmsClientErrorCode } from '../api/errors';

/** Refusals of a backup file or password that the backup forms explain in place, by title; the host's message follows. */
const BACKUP_ERROR_TITLES: Partial<Record<KmsClientErrorCode, string>> = {
  IncorrectBackupPassword: 'Incorrect backup password',
  'InvalidBackup.Corrupted': 'The backup file is damaged',
  'InvalidBackup.Truncated': 'The backup file is incomplete',
  'InvalidBackup.NotABackup': 'Not a Keyward backup file',
  'InvalidBackup.NewerSchema': 'Made by a newer Keyward',
  'NotFound.File': 'The chosen file is no longer staged: choose it again',
  'Forbidden.DataDirNotEmpty': 'This data directory is not empty',
  'Forbidden.BackupInProgress': 'Another backup or restore is running',
};

export function backupErrorTitle(code: KmsClientErrorCode): string | null {
  return BACKUP_ERROR_TITLES[code] ?? null;
}
