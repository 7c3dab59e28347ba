import { CURRENT_STAGE, MAX_SECRET_STAGES, PREVIOUS_STAGE } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';

/** Stage → the version it sits on. A stage sits on exactly one version; a version may carry several. */
export type StageMap = ReadonlyMap<string, string>;

/** What UpdateSecretVersionStage asks for. */
export interface StageMove {
  stage: string;
  removeFromVersion?: string | undefined;
  moveToVersion?: string | undefined;
}

/**
 * The stages after PutSecretValue stores `versionId` with `requested` stages: each requested stage
 * moves to the new version; when ACSCurrent moves, ACSPrevious follows to the version it left.
 * Without ACSCurrent in the request, ACSCurrent stays where it is.
 */
export function stagesAfterPut(current: StageMap, versionId: string, requested: readonly string[]): Map<string, string> {
  if (new Set(requested).size !== requested.length) throw new KmsError('InvalidParameter', 'VersionStages names a stage twice.');
  const movesCurrent = requested.includes(CURRENT_STAGE);
  if (movesCurrent && requested.includes(PREVIOUS_STAGE)) {
    throw new KmsError('InvalidParameter', `${PREVIOUS_STAGE} moves by itself to the version ${CURRENT_STAGE} leaves; do not name both.`);
  }
  const next = new Map(current);
  const left = current.get(CURRENT_STAGE);
  if (movesCurrent && left !== undefined && left !== versionId) next.set(PREVIOUS_STAGE, left);
  for (const stage of requested) next.set(stage, versionId);
  return withinLimit(next);
}

/**
 * The stages after UpdateSecretVersionStage. Moving a stage that sits on another version is a
 * check-and-set: RemoveFromVersion must name that version. ACSCurrent and ACSPrevious can only be
 * moved, never detached, and moving ACSCurrent takes ACSPrevious to the version it left.
 */
export function stagesAfterMove(current: StageMap, move: StageMove): Map<string, string> {
  const { stage, removeFromVersion, moveToVersion } = move;
  const holder = current.get(stage);
  if (removeFromVersion !== undefined && holder !== removeFromVersion) {
    throw new KmsError('Conflict.SecretVersion', `Stage ${stage} is ${holder === undefined ? 'on no version' : `on version ${holder}`}, not on ${removeFromVersion}.`);
  }
  const next = new Map(current);
  if (moveToVersion === undefined) {
    if (stage === CURRENT_STAGE || stage === PREVIOUS_STAGE) {
      throw new KmsError('InvalidParameter', `${stage} can only be moved to another version (MoveToVersion), not removed.`);
    }
    next.delete(stage);
    return next;
  }
  if (holder === moveToVersion) return next;
  if (holder !== undefined && removeFromVersion === undefined) {
    throw new KmsError('Conflict.SecretVersion', `Stage ${stage} is on version ${holder}: name it in RemoveFromVersion to move the stage.`);
  }
  next.set(stage, moveToVersion);
  if (stage === CURRENT_STAGE && holder !== undefined) next.set(PREVIOUS_STAGE, holder);
  return withinLimit(next);
}

/** The stages each version carries, sorted, for answers. */
export function stagesByVersion(stages: StageMap): Map<string, string[]> {
  const byVersion = new Map<string, string[]>();
  for (const [stage, versionId] of [...stages].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    byVersion.set(versionId, [...(byVersion.get(versionId) ?? []), stage]);
  }
  return byVersion;
}

/** The changes that turn `before` into `after`: stages to (re)place and stages to remove. */
export function stageChanges(before: StageMap, after: StageMap): { set: [string, string][]; removed: string[] } {
  const set = [...after].filter(([stage, versionId]) => before.get(stage) !== versionId);
  const removed = [...before.keys()].filter((stage) => !after.has(stage));
  return { set, removed };
}

function withinLimit(stages: Map<string, string>): Map<string, string> {
  if (stages.size > MAX_SECRET_STAGES) {
    throw new KmsError('LimitExceeded.SecretVersionStage', `A secret carries at most ${MAX_SECRET_STAGES} stages; remove one first.`);
  }
  return stages;
}
