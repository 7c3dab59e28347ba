const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** How long ago a backup was made, as the header shows it: "just now", "25 min ago", "5 h ago", "3 d ago". */
export function ageText(createdAt: string, nowMs: number): string {
  const made = Date.parse(createdAt);
  if (Number.isNaN(made)) return 'at an unknown time';
  const age = Math.max(0, nowMs - made);
  if (age < MINUTE_MS) return 'just now';
  if (age < HOUR_MS) return `${Math.floor(age / MINUTE_MS)} min ago`;
  if (age < DAY_MS) return `${Math.floor(age / HOUR_MS)} h ago`;
  return `${Math.floor(age / DAY_MS)} d ago`;
}

/** The header's backup line: "Backup 3 d ago", or "No backup yet". */
export function backupAgeLabel(lastBackupAt: string | null, nowMs: number): string {
  return lastBackupAt === null ? 'No backup yet' : `Backup ${ageText(lastBackupAt, nowMs)}`;
}
