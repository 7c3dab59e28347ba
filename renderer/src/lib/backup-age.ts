import { currentLocale, t } from '../i18n';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** How long ago a backup was made, as the header shows it: "just now", "25 min ago", "5 h ago", "3 d ago". */
export function ageText(createdAt: string, nowMs: number): string {
  const made = Date.parse(createdAt);
  if (Number.isNaN(made)) return t('shell.backupAge.unknown');
  const age = Math.max(0, nowMs - made);
  const count = (unit: number): string => Math.floor(age / unit).toLocaleString(currentLocale());
  if (age < MINUTE_MS) return t('shell.backupAge.justNow');
  if (age < HOUR_MS) return t('shell.backupAge.minutes', { count: count(MINUTE_MS) });
  if (age < DAY_MS) return t('shell.backupAge.hours', { count: count(HOUR_MS) });
  return t('shell.backupAge.days', { count: count(DAY_MS) });
}

/** The header's backup line: "Backup 3 d ago", or "No backup yet". */
export function backupAgeLabel(lastBackupAt: string | null, nowMs: number): string {
  return lastBackupAt === null ? t('shell.backupAge.none') : t('shell.backupAge.label', { age: ageText(lastBackupAt, nowMs) });
}
