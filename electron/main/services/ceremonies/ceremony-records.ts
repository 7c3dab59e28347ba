import { createHash } from 'node:crypto';
import { ceremonyScriptSchema, type Ceremony, type CeremonyScript, type CeremonyStepRecord, type OfficerRole } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { canonicalJson, type CeremonyDeviationRow, type CeremonyRow, type CeremonySignOffRow, type CeremonyStepRow } from '../../registry';
import { apiDate } from '../api-date';

/** A step is finished with once signed off or skipped; the first that is not is the one that runs next. */
const SETTLED_STATES: ReadonlySet<string> = new Set(['SIGNED_OFF', 'SKIPPED']);

/** The step that runs next; null once every step is signed off or skipped. */
export function currentStepOf(steps: readonly CeremonyStepRow[]): CeremonyStepRow | null {
  return steps.find((step) => !SETTLED_STATES.has(step.state)) ?? null;
}

/** The script a ceremony runs, from the copy its row keeps (parsed again: the row is data, not trusted shape). */
export function scriptOf(row: CeremonyRow): CeremonyScript {
  const parsed = ceremonyScriptSchema.safeParse(JSON.parse(row.script));
  if (!parsed.success) throw new KmsError('InternalFailure', `Ceremony ${row.id} holds a script that no longer reads as one.`);
  return parsed.data;
}

export interface SignOffDigestFields {
  CeremonyId: string;
  ScriptSha256: string;
  StepId: string;
  Title: string;
  Operation: string | null;
  Input: Record<string, unknown> | null;
  Outputs: CeremonyStepRecord['Outputs'];
  ErrorCode: string | null;
  AuditSequence: number | null;
}

/**
 * What a witness signs: SHA-256 (hex) of the canonical JSON of the done step as recorded. Anyone
 * holding the transcript recomputes it from the step record, the ceremony id and the script hash.
 */
export function signOffDigest(fields: SignOffDigestFields): string {
  return createHash('sha256').update(canonicalJson({ ...fields, State: 'DONE' })).digest('hex');
}

export interface CeremonyRecordRows {
  row: CeremonyRow;
  script: CeremonyScript;
  steps: readonly CeremonyStepRow[];
  signOffs: readonly CeremonySignOffRow[];
  deviations: readonly CeremonyDeviationRow[];
}

export function toCeremony(rows: CeremonyRecordRows): Ceremony {
  return { ...toCeremonySummary(rows.row, rows.steps), Steps: rows.steps.map((step) => toStepRecord(rows, step)) };
}

export function toCeremonySummary(row: CeremonyRow, steps: readonly CeremonyStepRow[]): Omit<Ceremony, 'Steps'> {
  const script = JSON.parse(row.script) as { Title?: unknown };
  return {
    CeremonyId: row.id,
    ScriptName: row.scriptName,
    ScriptTitle: typeof script.Title === 'string' ? script.Title : row.scriptName,
    ScriptSha256: row.scriptSha256,
    State: row.state,
    Participants: row.participants.map((participant) => ({
      OfficerName: participant.officerName,
      Role: participant.role as OfficerRole,
      PublicKeyFingerprint: participant.publicKeyFingerprint,
    })),
    StartedBy: row.startedBy,
    StartedAt: apiDate(row.startedAt),
    EndedAt: row.endedAt === null ? null : apiDate(row.endedAt),
    CurrentStepId: currentStepOf(steps)?.stepId ?? null,
  };
}

export function toStepRecord(rows: Pick<CeremonyRecordRows, 'row' | 'script' | 'signOffs' | 'deviations'>, step: CeremonyStepRow): CeremonyStepRecord {
  const title = rows.script.Steps.find((candidate) => candidate.StepId === step.stepId)?.Title ?? step.stepId;
  const ranToDone = step.state === 'DONE' || step.state === 'SIGNED_OFF';
  return {
    StepId: step.stepId,
    Title: title,
    State: step.state,
    Operation: step.operation,
    Input: step.input,
    StartedAt: step.startedAt === null ? null : apiDate(step.startedAt),
    FinishedAt: step.finishedAt === null ? null : apiDate(step.finishedAt),
    RunBy: step.runBy,
    Attempts: step.attempts,
    Outputs: step.outputs,
    ErrorCode: step.errorCode,
    ErrorMessage: step.errorMessage,
    ApprovalRequestId: step.approvalRequestId,
    AuditSequence: step.auditSequence,
    Recovered: step.recovered,
    SignOffs: rows.signOffs
      .filter((signOff) => signOff.stepId === step.stepId)
      .map((signOff) => ({ OfficerName: signOff.officerName, SignedAt: apiDate(signOff.signedAt), Signature: signOff.signature.toString('base64') })),
    SignOffDigest: ranToDone ? signOffDigest(digestFieldsOf(rows.row, title, step)) : null,
    Deviations: rows.deviations
      .filter((deviation) => deviation.stepId === step.stepId)
      .map((deviation) => ({ Note: deviation.note, RecordedBy: deviation.recordedBy, RecordedAt: apiDate(deviation.recordedAt) })),
  };
}

export function digestFieldsOf(row: CeremonyRow, title: string, step: CeremonyStepRow): SignOffDigestFields {
  return {
    CeremonyId: row.id,
    ScriptSha256: row.scriptSha256,
    StepId: step.stepId,
    Title: title,
    Operation: step.operation,
    Input: step.input,
    Outputs: step.outputs,
    ErrorCode: step.errorCode,
    AuditSequence: step.auditSequence,
  };
}
