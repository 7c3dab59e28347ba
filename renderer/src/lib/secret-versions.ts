import { CURRENT_STAGE, MAX_SECRET_STAGES, PREVIOUS_STAGE, type SecretVersionEntry } from '../../../shared/contract';
import { t } from '../i18n';
import '../i18n/areas/secrets';

/** Versions and stages of one secret, as the versions tab and the put-value dialog read them. */

export const RECOVERY_WINDOW_DAYS = { min: 7, max: 30, default: 30 } as const;

/** ACSCurrent and ACSPrevious follow PutSecretValue; they can be moved but never detached. */
export function isAutomaticStage(stage: string): boolean {
  return stage === CURRENT_STAGE || stage === PREVIOUS_STAGE;
}

/** The id the next version is offered: one past the highest `v<n>`, never one already taken. */
export function nextVersionId(existing: readonly string[]): string {
  const taken = new Set(existing);
  const numbers = existing.map((id) => /^v(\d{1,9})$/.exec(id)?.[1]).filter((n): n is string => n !== undefined).map(Number);
  let next = numbers.length ? Math.max(...numbers) + 1 : existing.length + 1;
  while (taken.has(`v${next}`)) next++;
  return `v${next}`;
}

/** Which version holds each stage. */
export function stageHolders(versions: readonly SecretVersionEntry[]): Map<string, string> {
  const holders = new Map<string, string>();
  for (const version of versions) for (const stage of version.VersionStages) holders.set(stage, version.VersionId);
  return holders;
}

/** Every stage in use, ACSCurrent and ACSPrevious first. */
export function stagesInUse(versions: readonly SecretVersionEntry[]): string[] {
  const stages = [...stageHolders(versions).keys()];
  return stages.sort((a, b) => Number(isAutomaticStage(b)) - Number(isAutomaticStage(a)) || a.localeCompare(b));
}

export interface StageMove {
  VersionStage: string;
  MoveToVersion: string;
  /** The version that holds the stage now: the host refuses the move if another one does by then. */
  RemoveFromVersion?: string;
}

/** UpdateSecretVersionStage's input to put `stage` on `toVersion`; null when it is there already. */
export function stageMove(stage: string, toVersion: string, versions: readonly SecretVersionEntry[]): StageMove | null {
  const holder = stageHolders(versions).get(stage);
  if (holder === toVersion) return null;
  return holder === undefined ? { VersionStage: stage, MoveToVersion: toVersion } : { VersionStage: stage, MoveToVersion: toVersion, RemoveFromVersion: holder };
}

/** Why a stage new to this secret cannot be added ('' when it can). */
export function stageLimitProblem(stage: string, versions: readonly SecretVersionEntry[]): string {
  const inUse = stageHolders(versions);
  if (inUse.has(stage) || inUse.size < MAX_SECRET_STAGES) return '';
  return t('secrets.form.stageLimit', { max: MAX_SECRET_STAGES });
}

/** When a deletion scheduled now with this recovery window becomes final (ISO). */
export function plannedDeletion(nowMs: number, days: number): string {
  return new Date(nowMs + days * 86_400_000).toISOString();
}

export function recoveryWindowOk(days: number | null): days is number {
  return days !== null && Number.isInteger(days) && days >= RECOVERY_WINDOW_DAYS.min && days <= RECOVERY_WINDOW_DAYS.max;
}
