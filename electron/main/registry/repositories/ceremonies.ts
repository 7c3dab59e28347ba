import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';

/** An imported ceremony script (migration 015); built-in scripts live in the code. */
export interface CeremonyScriptRow {
  name: string;
  title: string;
  /** The script's canonical JSON. */
  script: string;
  sha256: string;
  importedBy: string;
  importedAt: string;
}

export type CeremonyState = 'IN_PROGRESS' | 'COMPLETED' | 'ABORTED';
export type CeremonyStepState = 'PENDING' | 'RUNNING' | 'AWAITING_APPROVAL' | 'DONE' | 'SIGNED_OFF' | 'FAILED' | 'SKIPPED';

export interface CeremonyParticipantRow {
  officerName: string;
  role: string;
  /** The officer's approval key fingerprint when the ceremony started: what the transcript names. */
  publicKeyFingerprint: string;
}

export interface CeremonyRow {
  id: string;
  scriptName: string;
  /** The script as it was when the ceremony started (JSON text). */
  script: string;
  scriptSha256: string;
  participants: CeremonyParticipantRow[];
  state: CeremonyState;
  startedBy: string;
  startedAt: string;
  endedAt: string | null;
  endReason: string | null;
  firstAuditSequence: number | null;
  lastAuditSequence: number | null;
}

export interface CeremonyStepRow {
  ceremonyId: string;
  stepId: string;
  position: number;
  state: CeremonyStepState;
  operation: string | null;
  /** The input as it ran, secret fields left out. */
  input: Record<string, unknown> | null;
  outputs: { Name: string; Kind: 'VALUE' | 'SHA256'; Value: string }[];
  runBy: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  approvalRequestId: string | null;
  auditSequence: number | null;
  recovered: string | null;
  /** The process that set RUNNING (see services/ceremonies/runner-process.ts); null otherwise. */
  runner: string | null;
}

export interface CeremonySignOffRow {
  ceremonyId: string;
  stepId: string;
  officerName: string;
  digest: string;
  signature: Buffer;
  signedAt: string;
}

export interface CeremonyDeviationRow {
  ceremonyId: string;
  stepId: string;
  note: string;
  recordedBy: string;
  recordedAt: string;
}

export interface CeremoniesRepository {
  /** Throws RegistryConstraintError('unique') on a taken name. */
  insertScript(row: CeremonyScriptRow): void;
  getScript(name: string): CeremonyScriptRow | null;
  listScripts(): CeremonyScriptRow[];
  /** The ceremony and its steps (PENDING, in order). */
  insert(row: CeremonyRow, steps: readonly CeremonyStepRow[]): void;
  get(id: string): CeremonyRow | null;
  /** Newest first. */
  list(state?: CeremonyState): CeremonyRow[];
  setFirstAuditSequence(id: string, sequence: number): void;
  /** Closes an IN_PROGRESS ceremony; false when it was no longer in progress. */
  end(id: string, end: { state: 'COMPLETED' | 'ABORTED'; endedAt: string; reason: string | null; lastAuditSequence: number }): boolean;
  steps(ceremonyId: string): CeremonyStepRow[];
  /** Writes the whole step row when its stored state is one of `expected`; false otherwise (it changed meanwhile). */
  saveStep(row: CeremonyStepRow, expected: readonly CeremonyStepState[]): boolean;
  /** Throws RegistryConstraintError('unique') on a second sign-off by the same officer. */
  insertSignOff(row: CeremonySignOffRow): void;
  signOffs(ceremonyId: string): CeremonySignOffRow[];
  insertDeviation(row: CeremonyDeviationRow): void;
  deviations(ceremonyId: string): CeremonyDeviationRow[];
  /**
   * The newest SUCCESS audit record of `operation` whose details name this ceremony step, at or
   * after `fromSequence`: what tells whether a step's operation ran.
   */
  findStepAuditRecord(query: { ceremonyId: string; stepId: string; operation: string; fromSequence: number }): number | null;
}

type StoredCeremony = Omit<CeremonyRow, 'participants'> & { participants: string };
type StoredStep = Omit<CeremonyStepRow, 'input' | 'outputs'> & { input: string | null; outputs: string };

const SCRIPT_COLUMNS = 'name, title, script, sha256, imported_by AS importedBy, imported_at AS importedAt';
const CEREMONY_COLUMNS = `id, script_name AS scriptName, script, script_sha256 AS scriptSha256, participants, state,
  started_by AS startedBy, started_at AS startedAt, ended_at AS endedAt, end_reason AS endReason,
  first_audit_sequence AS firstAuditSequence, last_audit_sequence AS lastAuditSequence`;
const STEP_COLUMNS = `ceremony_id AS ceremonyId, step_id AS stepId, position, state, operation, input, outputs, run_by AS runBy,
  started_at AS startedAt, finished_at AS finishedAt, attempts, error_code AS errorCode, error_message AS errorMessage,
  approval_request_id AS approvalRequestId, audit_sequence AS auditSequence, recovered, runner`;

function ceremonyOf(row: StoredCeremony): CeremonyRow {
  return { ...row, participants: JSON.parse(row.participants) as CeremonyParticipantRow[] };
}

function stepOf(row: StoredStep): CeremonyStepRow {
  return {
    ...row,
    input: row.input === null ? null : (JSON.parse(row.input) as Record<string, unknown>),
    outputs: JSON.parse(row.outputs) as CeremonyStepRow['outputs'],
  };
}

function storedStep(row: CeremonyStepRow): StoredStep {
  return { ...row, input: row.input === null ? null : JSON.stringify(row.input), outputs: JSON.stringify(row.outputs) };
}

export function createCeremoniesRepository(db: Database): CeremoniesRepository {
  const insertScript = db.prepare<CeremonyScriptRow>(
    'INSERT INTO ceremony_scripts (name, title, script, sha256, imported_by, imported_at) VALUES (@name, @title, @script, @sha256, @importedBy, @importedAt)',
  );
  const getScript = db.prepare<[string], CeremonyScriptRow>(`SELECT ${SCRIPT_COLUMNS} FROM ceremony_scripts WHERE name = ?`);
  const listScripts = db.prepare<[], CeremonyScriptRow>(`SELECT ${SCRIPT_COLUMNS} FROM ceremony_scripts ORDER BY name`);
  const insertCeremony = db.prepare<StoredCeremony>(
    `INSERT INTO ceremonies (id, script_name, script, script_sha256, participants, state, started_by, started_at, ended_at, end_reason, first_audit_sequence, last_audit_sequence)
     VALUES (@id, @scriptName, @script, @scriptSha256, @participants, @state, @startedBy, @startedAt, @endedAt, @endReason, @firstAuditSequence, @lastAuditSequence)`,
  );
  const stepValues = `@ceremonyId, @stepId, @position, @state, @operation, @input, @outputs, @runBy, @startedAt, @finishedAt, @attempts,
    @errorCode, @errorMessage, @approvalRequestId, @auditSequence, @recovered, @runner`;
  const insertStep = db.prepare<StoredStep>(
    `INSERT INTO ceremony_steps (ceremony_id, step_id, position, state, operation, input, outputs, run_by, started_at, finished_at, attempts,
       error_code, error_message, approval_request_id, audit_sequence, recovered, runner) VALUES (${stepValues})`,
  );
  const get = db.prepare<[string], StoredCeremony>(`SELECT ${CEREMONY_COLUMNS} FROM ceremonies WHERE id = ?`);
  const listAll = db.prepare<[], StoredCeremony>(`SELECT ${CEREMONY_COLUMNS} FROM ceremonies ORDER BY started_at DESC, rowid DESC`);
  const listByState = db.prepare<[string], StoredCeremony>(`SELECT ${CEREMONY_COLUMNS} FROM ceremonies WHERE state = ? ORDER BY started_at DESC, rowid DESC`);
  const setFirst = db.prepare<[number, string]>('UPDATE ceremonies SET first_audit_sequence = ? WHERE id = ?');
  const end = db.prepare<[string, string, string | null, number, string]>(
    "UPDATE ceremonies SET state = ?, ended_at = ?, end_reason = ?, last_audit_sequence = ? WHERE id = ? AND state = 'IN_PROGRESS'",
  );
  const steps = db.prepare<[string], StoredStep>(`SELECT ${STEP_COLUMNS} FROM ceremony_steps WHERE ceremony_id = ? ORDER BY position`);
  // The expected states arrive as a JSON array: one statement serves every caller's set.
  const saveStep = db.prepare<StoredStep & { expected: string }>(
    `UPDATE ceremony_steps SET state = @state, operation = @operation, input = @input, outputs = @outputs, run_by = @runBy,
       started_at = @startedAt, finished_at = @finishedAt, attempts = @attempts, error_code = @errorCode, error_message = @errorMessage,
       approval_request_id = @approvalRequestId, audit_sequence = @auditSequence, recovered = @recovered, runner = @runner
     WHERE ceremony_id = @ceremonyId AND step_id = @stepId AND state IN (SELECT value FROM json_each(@expected))`,
  );
  const insertSignOff = db.prepare<CeremonySignOffRow>(
    'INSERT INTO ceremony_signoffs (ceremony_id, step_id, officer_name, digest, signature, signed_at) VALUES (@ceremonyId, @stepId, @officerName, @digest, @signature, @signedAt)',
  );
  const signOffs = db.prepare<[string], CeremonySignOffRow>(
    `SELECT ceremony_id AS ceremonyId, step_id AS stepId, officer_name AS officerName, digest, signature, signed_at AS signedAt
     FROM ceremony_signoffs WHERE ceremony_id = ? ORDER BY signed_at, officer_name`,
  );
  const insertDeviation = db.prepare<CeremonyDeviationRow>(
    'INSERT INTO ceremony_deviations (ceremony_id, step_id, note, recorded_by, recorded_at) VALUES (@ceremonyId, @stepId, @note, @recordedBy, @recordedAt)',
  );
  const deviations = db.prepare<[string], CeremonyDeviationRow>(
    `SELECT ceremony_id AS ceremonyId, step_id AS stepId, note, recorded_by AS recordedBy, recorded_at AS recordedAt
     FROM ceremony_deviations WHERE ceremony_id = ? ORDER BY id`,
  );
  // The operation index narrows the scan; the sequence bound keeps it to the ceremony's own span.
  const findStepAudit = db.prepare<[string, number, string, string], { sequence: number }>(
    `SELECT sequence FROM audit_events
     WHERE operation = ? AND outcome = 'SUCCESS' AND sequence >= ?
       AND json_extract(details_json, '$.CeremonyId') = ? AND json_extract(details_json, '$.StepId') = ?
     ORDER BY sequence DESC LIMIT 1`,
  );

  const insertAll = db.transaction((ceremony: CeremonyRow, rows: readonly CeremonyStepRow[]) => {
    insertCeremony.run({ ...ceremony, participants: JSON.stringify(ceremony.participants) });
    for (const row of rows) insertStep.run(storedStep(row));
  });

  return {
    insertScript: (row) => {
      translateConstraint(() => insertScript.run(row));
    },
    getScript: (name) => getScript.get(name) ?? null,
    listScripts: () => listScripts.all(),
    insert: (row, rows) => {
      translateConstraint(() => insertAll(row, rows));
    },
    get: (id) => {
      const row = get.get(id);
      return row ? ceremonyOf(row) : null;
    },
    list: (state) => (state === undefined ? listAll.all() : listByState.all(state)).map(ceremonyOf),
    setFirstAuditSequence: (id, sequence) => {
      setFirst.run(sequence, id);
    },
    end: (id, { state, endedAt, reason, lastAuditSequence }) => end.run(state, endedAt, reason, lastAuditSequence, id).changes > 0,
    steps: (ceremonyId) => steps.all(ceremonyId).map(stepOf),
    saveStep: (row, expected) => saveStep.run({ ...storedStep(row), expected: JSON.stringify(expected) }).changes > 0,
    insertSignOff: (row) => {
      translateConstraint(() => insertSignOff.run(row));
    },
    signOffs: (ceremonyId) => signOffs.all(ceremonyId),
    insertDeviation: (row) => {
      insertDeviation.run(row);
    },
    deviations: (ceremonyId) => deviations.all(ceremonyId),
    findStepAuditRecord: ({ ceremonyId, stepId, operation, fromSequence }) => findStepAudit.get(operation, fromSequence, ceremonyId, stepId)?.sequence ?? null,
  };
}
