/**
 * VerifyAuditLog's answer, from three independent checks: the chain itself, the anchor the HSM
 * holds, and an officer's checkpoint. Each problem names the record where it is first seen; the
 * answer reports the earliest. Pure, so every wording and precedence is unit tested.
 */
import type { OperationResult } from '../../../../shared/contract';
import type { CheckedAuditLog, CheckpointCheck } from '../../registry';
import type { AnchorReading } from './anchor-store';

export type HsmAnchorCheck = { checked: false; why: string } | { checked: true; reading: AnchorReading };

export interface VerdictInput {
  log: CheckedAuditLog;
  hsm: HsmAnchorCheck;
  /** The HSM anchor compared with the log (present when the reading is VALID). */
  hsmCheck: CheckpointCheck | null;
  /** The officer's ExpectedAnchor compared with the log. */
  expectedCheck: CheckpointCheck | null;
}

interface Problem {
  sequence: number | null;
  reason: string;
}

function endOf(lastSequence: number): string {
  return lastSequence === 0 ? 'the log is empty' : `the log ends at record ${lastSequence}`;
}

function checkpointProblem(check: CheckpointCheck | null, name: string, lastSequence: number): Problem | null {
  if (!check || check.status === 'MATCH') return null;
  if (check.status === 'MISMATCH') {
    return { sequence: check.sequence, reason: `record ${check.sequence} does not match ${name} (the log was rewritten)` };
  }
  return { sequence: lastSequence + 1, reason: `${name} is at record ${check.sequence}, but ${endOf(lastSequence)}: records were removed from its end` };
}

function anchorNote(input: VerdictInput, unanchored: number | null): string {
  const { hsm, hsmCheck } = input;
  if (!hsm.checked) return hsm.why;
  if (hsm.reading.status === 'ABSENT') return 'the HSM holds no anchor yet (it follows the log within seconds while the default key store is connected)';
  if (!hsmCheck) return '';
  const pending = unanchored ? ` (${unanchored} newer record${unanchored === 1 ? ' is' : 's are'} not anchored yet)` : '';
  return `they match the anchor held in the HSM at record ${hsmCheck.sequence}${pending}`;
}

export function auditVerdict(input: VerdictInput): OperationResult<'VerifyAuditLog'> {
  const { log, hsm, hsmCheck, expectedCheck } = input;
  const reading = hsm.checked ? hsm.reading : null;
  const anchor = reading?.status === 'VALID' ? reading.anchor : null;
  const unanchored = !hsm.checked ? null : anchor ? Math.max(0, log.lastSequence - anchor.sequence) : log.lastSequence;

  const problems: Problem[] = [];
  if (!log.valid) problems.push({ sequence: log.firstBrokenSequence, reason: log.reason });
  if (reading?.status === 'INVALID') problems.push({ sequence: null, reason: reading.reason });
  for (const problem of [
    checkpointProblem(hsmCheck, 'the anchor held in the HSM', log.lastSequence),
    checkpointProblem(expectedCheck, 'the expected anchor', log.lastSequence),
  ]) {
    if (problem) problems.push(problem);
  }
  // Earliest first; a problem without a record (a forged anchor) after those with one.
  problems.sort((a, b) => (a.sequence ?? Number.MAX_SAFE_INTEGER) - (b.sequence ?? Number.MAX_SAFE_INTEGER));

  const first = problems.find((problem) => problem.sequence !== null)?.sequence ?? null;
  const notChecked = hsm.checked ? [] : [hsm.why];
  const reason =
    problems.length > 0
      ? [...problems.map((problem) => problem.reason), ...notChecked].join('; ')
      : [log.reason, anchorNote(input, unanchored), expectedCheck ? `record ${expectedCheck.sequence} matches the expected anchor` : '']
          .filter((part) => part !== '')
          .join('; ');
  return {
    Valid: problems.length === 0,
    CheckedRecords: first === null ? log.checkedRecords : Math.min(log.checkedRecords, first - 1),
    FirstBrokenSequence: first,
    Reason: reason,
    Anchor: anchor ? { Sequence: anchor.sequence, Hash: anchor.hash, Time: anchor.time } : null,
    AnchorChecked: hsm.checked,
    UnanchoredRecords: unanchored,
  };
}
