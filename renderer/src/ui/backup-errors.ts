import type { KmsClientErrorCode } from '../api/errors';
import '../i18n/areas/backup';
import { t } from '../i18n';

/** Refusals of a backup file or password that the backup forms explain in place, by title; the host's message follows. */
const BACKUP_ERROR_TITLES: Partial<Record<KmsClientErrorCode, () => string>> = {
  IncorrectBackupPassword: () => t('backup.errors.incorrectPassword'),
  'InvalidBackup.Corrupted': () => t('backup.errors.corrupted'),
  'InvalidBackup.Truncated': () => t('backup.errors.truncated'),
  'InvalidBackup.NotABackup': () => t('backup.errors.notABackup'),
  'InvalidBackup.NewerSchema': () => t('backup.errors.newerSchema'),
  'NotFound.File': () => t('backup.errors.fileNotFound'),
  'Forbidden.DataDirNotEmpty': () => t('backup.errors.dataDirNotEmpty'),
  'Forbidden.BackupInProgress': () => t('backup.errors.backupInProgress'),
};

/** The title in the console's language now: call it where the title is shown. */
export function backupErrorTitle(code: KmsClientErrorCode): string | null {
  return BACKUP_ERROR_TITLES[code]?.() ?? null;
}
