import { BACKUP_PASSWORD_MAX, BACKUP_PASSWORD_MIN, backupPasswordSchema } from '../../../shared/contract/backup';
import '../i18n/areas/backup';
import { t } from '../i18n';

export type StrengthLevel = 'too-short' | 'weak' | 'fair' | 'good' | 'strong';

export interface PasswordStrength {
  level: StrengthLevel;
  label: string;
  /** 0-100, for a meter. */
  percent: number;
  /** Estimated guessing entropy in bits (character pool and length; repeats and runs count less). */
  bits: number;
  /** What would make it stronger; empty when nothing obvious would. */
  hints: string[];
}

/** Bits at which the meter is full: beyond any offline guessing a stolen backup file could meet. */
const FULL_BITS = 100;
/** Each level's label is read when the strength is computed, so it follows the console's language. */
const LEVELS: ReadonlyArray<{ level: StrengthLevel; below: number; label: () => string }> = [
  { level: 'weak', below: 50, label: () => t('backup.strength.levels.weak') },
  { level: 'fair', below: 70, label: () => t('backup.strength.levels.fair') },
  { level: 'good', below: 90, label: () => t('backup.strength.levels.good') },
  { level: 'strong', below: Number.POSITIVE_INFINITY, label: () => t('backup.strength.levels.strong') },
];

const CLASSES = [
  { test: /[a-z]/, size: 26, hint: () => t('backup.strength.hints.lowerCase') },
  { test: /[A-Z]/, size: 26, hint: () => t('backup.strength.hints.upperCase') },
  { test: /[0-9]/, size: 10, hint: () => t('backup.strength.hints.digits') },
  { test: /[^a-zA-Z0-9]/, size: 33, hint: () => t('backup.strength.hints.symbols') },
] as const;

/**
 * Problems that make the contract refuse the password (empty: acceptable). The contract's only rule
 * is the length, said in the console's language; any other refusal keeps the contract's words.
 */
export function backupPasswordProblems(password: string): string[] {
  const result = backupPasswordSchema.safeParse(password);
  if (result.success) return [];
  return [
    ...new Set(
      result.error.issues.map((issue) =>
        issue.code === 'too_small' || issue.code === 'too_big' ? t('backup.password.length', { min: BACKUP_PASSWORD_MIN, max: BACKUP_PASSWORD_MAX }) : issue.message,
      ),
    ),
  ];
}

/**
 * A hint, not a rule: a backup file can be copied and attacked offline, so the meter rewards length
 * and variety. A character that repeats its predecessor or continues a run (abc, 321) counts half.
 */
export function backupPasswordStrength(password: string): PasswordStrength {
  const characters = [...password];
  const present = CLASSES.filter((kind) => kind.test.test(password));
  const pool = present.reduce((sum, kind) => sum + kind.size, 0);
  const bits = pool > 0 ? Math.round(effectiveLength(characters) * Math.log2(pool)) : 0;
  const hints: string[] = [];
  if (characters.length < 16) hints.push(t('backup.strength.hints.longer'));
  const missing = CLASSES.filter((kind) => !present.includes(kind)).map((kind) => kind.hint());
  if (missing.length > 0 && bits < FULL_BITS) hints.push(t('backup.strength.hints.mixIn', { classes: missing.join(t('backup.strength.hints.classSeparator')) }));
  if (hasRepeatsOrRuns(characters)) hints.push(t('backup.strength.hints.repeats'));
  const percent = Math.min(100, Math.round((bits / FULL_BITS) * 100));
  if (backupPasswordProblems(password).length > 0) return { level: 'too-short', label: t('backup.strength.levels.tooShort'), percent, bits, hints };
  const level = LEVELS.find((candidate) => bits < candidate.below) ?? LEVELS[LEVELS.length - 1]!;
  return { level: level.level, label: level.label(), percent, bits, hints };
}

function isRepeatOrRun(previous: string | undefined, current: string): boolean {
  if (previous === undefined) return false;
  const step = (current.codePointAt(0) ?? 0) - (previous.codePointAt(0) ?? 0);
  return Math.abs(step) <= 1;
}

function effectiveLength(characters: readonly string[]): number {
  return characters.reduce((sum, character, index) => sum + (isRepeatOrRun(characters[index - 1], character) ? 0.5 : 1), 0);
}

function hasRepeatsOrRuns(characters: readonly string[]): boolean {
  return characters.some((character, index) => isRepeatOrRun(characters[index - 1], character) && isRepeatOrRun(characters[index - 2], characters[index - 1] ?? ''));
}
