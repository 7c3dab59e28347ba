/**
 * Key ceremonies (issue 15): a script run step by step before witnesses. This service starts,
 * describes and closes ceremonies and records deviations; running a step and signing it off live
 * in their own modules. Every change writes its audit record in the transaction of its rows.
 */
import { randomUUID } from 'node:crypto';
import type { Ceremony, CeremonyScript, OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { canonicalJson, type CeremonyParticipantRow, type CeremonyRow, type CeremonyStepRow, type CeremonyStepState } from '../../registry';
import type { AuditEntry, AuditTrail } from '../audit/audit-trail';
import type { OfficerTokens } from '../quorum/officer-tokens';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { CeremonyLoader, findStep, InFlightSteps } from './ceremony-loader';
import { toCeremonySummary, currentStepOf } from './ceremony-records';
import { CeremonyRecovery } from './ceremony-recovery';
import type { CeremonyScripts } from './ceremony-scripts';
import { CeremonyStepRunner, type CeremonyOperationRunner } from './ceremony-step-runner';
import { CeremonySignOff } from './sign-off';

/** The audit records a ceremony spans, for its transcript. */
export interface CeremonyAuditSpan {
  fromSequence: number;
  toSequence: number;
}

/** States a step may be skipped from: it has not run (or its run was refused). */
const SKIPPABLE: readonly CeremonyStepState[] = ['PENDING', 'FAILED', 'AWAITING_APPROVAL'];

export class CeremonyService {
  private readonly loader: CeremonyLoader;
  private readonly steps: CeremonyStepRunner;
  private readonly signOffs: CeremonySignOff;

  constructor(
    private readonly context: ServiceContext,
    private readonly audit: AuditTrail,
    private readonly scripts: CeremonyScripts,
    tokens: OfficerTokens,
  ) {
    const inFlight = new InFlightSteps();
    this.loader = new CeremonyLoader(context, new CeremonyRecovery(context, audit, (ceremonyId, stepId) => inFlight.has(ceremonyId, stepId)));
    this.steps = new CeremonyStepRunner(context, audit, this.loader, inFlight);
    this.signOffs = new CeremonySignOff(context, tokens, audit, this.loader);
  }

  /** Set once the handlers exist: steps run operations through them. */
  bindRunner(runner: CeremonyOperationRunner): void {
    this.steps.bindRunner(runner);
  }

  start(input: ParsedInput<'StartCeremony'>, request: RequestContext): OperationResult<'StartCeremony'> {
    const { registry } = this.context;
    const resolved = this.scripts.get(input.ScriptName);
    const participants = this.participants(resolved.script, input.Participants);
    const id = `cer-${randomUUID()}`;
    const now = isoNow(this.context);
    const row: CeremonyRow = {
      id,
      scriptName: resolved.script.Name,
      script: canonicalJson(resolved.script),
      scriptSha256: resolved.sha256,
      participants,
      state: 'IN_PROGRESS',
      startedBy: request.actor,
      startedAt: now,
      endedAt: null,
      endReason: null,
      firstAuditSequence: null,
      lastAuditSequence: null,
    };
    const steps = resolved.script.Steps.map((step, position): CeremonyStepRow => ({
      ceremonyId: id,
      stepId: step.StepId,
      position,
      state: 'PENDING',
      operation: step.Operation ?? null,
      input: null,
      outputs: [],
      runBy: null,
      startedAt: null,
      finishedAt: null,
      attempts: 0,
      errorCode: null,
      errorMessage: null,
      approvalRequestId: null,
      auditSequence: null,
      recovered: null,
      runner: null,
    }));
    const details = {
      ScriptName: row.scriptName,
      ScriptSha256: row.scriptSha256,
      BuiltIn: resolved.builtIn,
      Participants: participants.map((participant) => `${participant.officerName}:${participant.role}`).join(','),
    };
    this.recordWithSequence(request, { operation: 'StartCeremony', resourceId: id, details }, () => registry.ceremonies.insert(row, steps), (sequence) => {
      registry.ceremonies.setFirstAuditSequence(id, sequence);
    });
    return { CeremonyId: id, Ceremony: this.loader.describe(id) };
  }

  run(input: ParsedInput<'RunCeremonyStep'>, request: RequestContext): Promise<OperationResult<'RunCeremonyStep'>> {
    return this.steps.run(input, request);
  }

  signOff(input: ParsedInput<'SignOffCeremonyStep'>, request: RequestContext): Promise<OperationResult<'SignOffCeremonyStep'>> {
    return this.signOffs.signOff(input, request);
  }

  recordDeviation(input: ParsedInput<'RecordDeviation'>, request: RequestContext): OperationResult<'RecordDeviation'> {
    const { registry } = this.context;
    const loaded = this.loader.loadForWrite(input.CeremonyId, request);
    const { step } = findStep(loaded, input.StepId);
    if (input.SkipStep) {
      if (currentStepOf(loaded.steps)?.stepId !== step.stepId) throw new KmsError('Forbidden.CeremonyStepOrder', `Only the current step can be skipped; step ${step.stepId} is not it.`);
      if (!SKIPPABLE.includes(step.state)) throw new KmsError('Forbidden.CeremonyStepOrder', `Step ${step.stepId} is ${step.state}: only a step that has not run can be skipped.`);
    }
    const now = isoNow(this.context);
    const details = { CeremonyId: loaded.row.id, StepId: step.stepId, SkipStep: input.SkipStep, Note: input.Note };
    this.audit.recordChange(request, { operation: 'RecordDeviation', resourceId: loaded.row.id, details }, () => {
      registry.ceremonies.insertDeviation({ ceremonyId: loaded.row.id, stepId: step.stepId, note: input.Note, recordedBy: request.actor, recordedAt: now });
      if (input.SkipStep && !registry.ceremonies.saveStep({ ...step, state: 'SKIPPED', finishedAt: now }, [step.state])) {
        throw new KmsError('Forbidden.CeremonyStepOrder', `Step ${step.stepId} changed meanwhile; describe the ceremony and try again.`);
      }
    });
    return this.loader.describeStep(loaded.row.id, step.stepId);
  }

  complete(input: ParsedInput<'CompleteCeremony'>, request: RequestContext): OperationResult<'CompleteCeremony'> {
    const { registry } = this.context;
    const loaded = this.loader.loadForWrite(input.CeremonyId, request);
    const skipped = loaded.steps.filter((step) => step.state === 'SKIPPED').length;
    const details = { CeremonyId: loaded.row.id, Steps: loaded.steps.length, Skipped: skipped };
    this.recordWithSequence(
      request,
      { operation: 'CompleteCeremony', resourceId: loaded.row.id, details },
      () => {
        // Read under the write lock: no step may have changed since the check.
        const open = currentStepOf(registry.ceremonies.steps(loaded.row.id));
        if (open) throw new KmsError('Forbidden.CeremonyStepOrder', `Step ${open.stepId} is ${open.state}: every step must be signed off or skipped first.`);
      },
      (sequence) => this.end(loaded.row, { state: 'COMPLETED', endedAt: isoNow(this.context), reason: null, lastAuditSequence: sequence }),
    );
    return { Ceremony: this.loader.describe(loaded.row.id) };
  }

  abort(input: ParsedInput<'AbortCeremony'>, request: RequestContext): OperationResult<'AbortCeremony'> {
    const loaded = this.loader.loadForWrite(input.CeremonyId, request);
    const stoppedAt = currentStepOf(loaded.steps)?.stepId ?? '';
    const details = { CeremonyId: loaded.row.id, Reason: input.Reason, StoppedAtStep: stoppedAt };
    this.recordWithSequence(request, { operation: 'AbortCeremony', resourceId: loaded.row.id, details }, () => undefined, (sequence) =>
      this.end(loaded.row, { state: 'ABORTED', endedAt: isoNow(this.context), reason: input.Reason, lastAuditSequence: sequence }),
    );
    return { Ceremony: this.loader.describe(loaded.row.id) };
  }

  /** With every step a stop left RUNNING settled first (from the audit chain; nothing is run). */
  describe(input: ParsedInput<'DescribeCeremony'>, request: RequestContext): OperationResult<'DescribeCeremony'> {
    const { script } = this.loader.loadSettled(input.CeremonyId, request);
    return { Ceremony: this.loader.describe(input.CeremonyId), Script: script };
  }

  list(input: ParsedInput<'ListCeremonies'>): OperationResult<'ListCeremonies'> {
    const { ceremonies } = this.context.registry;
    return { Ceremonies: ceremonies.list(input.State).map((row) => toCeremonySummary(row, ceremonies.steps(row.id))) };
  }

  /**
   * What a transcript is built from: the ceremony as recorded (settled first when a request is
   * given), its script, and the audit records it spans: from StartCeremony's to its end's, or to
   * the newest record while it is still in progress.
   */
  transcriptSource(ceremonyId: string, request?: RequestContext): { ceremony: Ceremony; script: CeremonyScript; range: CeremonyAuditSpan } {
    const loaded = request ? this.loader.loadSettled(ceremonyId, request) : this.loader.load(ceremonyId);
    const last = this.context.registry.audit.last()?.sequence ?? 0;
    const fromSequence = loaded.row.firstAuditSequence ?? 1;
    return { ceremony: this.loader.describe(ceremonyId), script: loaded.script, range: { fromSequence, toSequence: loaded.row.lastAuditSequence ?? last } };
  }

  private end(row: CeremonyRow, end: Parameters<ServiceContext['registry']['ceremonies']['end']>[1]): void {
    if (!this.context.registry.ceremonies.end(row.id, end)) throw new KmsError('Forbidden.CeremonyState', `Ceremony ${row.id} ended meanwhile.`);
  }

  /** Runs `change` with its audit record, then `after` with that record's sequence, all in one transaction. */
  private recordWithSequence(request: RequestContext, entry: AuditEntry, change: () => void, after: (sequence: number) => void): void {
    const { registry } = this.context;
    registry.transaction(() => {
      this.audit.recordChange(request, entry, change);
      // Inside this write transaction the newest record is the one just written.
      const sequence = registry.audit.last()?.sequence;
      if (sequence === undefined) throw new KmsError('InternalFailure', 'The audit record of the change was not written.');
      after(sequence);
    });
  }

  /** Enabled officers holding the roles they take part in, as many per role as the script asks for. */
  private participants(script: CeremonyScript, given: ParsedInput<'StartCeremony'>['Participants']): CeremonyParticipantRow[] {
    const { officers } = this.context.registry;
    const seen = new Set<string>();
    const rows = given.map((participant): CeremonyParticipantRow => {
      const key = `${participant.OfficerName}\u0000${participant.Role}`;
      if (seen.has(key)) throw new KmsError('Forbidden.CeremonyParticipants', `Officer ${participant.OfficerName} is named twice as ${participant.Role}.`);
      seen.add(key);
      const officer = officers.get(participant.OfficerName);
      if (!officer) throw new KmsError('NotFound.Officer', `Officer ${participant.OfficerName} is not enrolled.`);
      if (officer.state !== 'ENABLED') throw new KmsError('Forbidden.OfficerState', `Officer ${officer.name} is disabled and cannot take part.`);
      if (!officer.roles.includes(participant.Role)) {
        throw new KmsError('Forbidden.CeremonyParticipants', `Officer ${officer.name} does not hold the role ${participant.Role} (holds ${officer.roles.join(', ')}).`);
      }
      return { officerName: officer.name, role: participant.Role, publicKeyFingerprint: officer.fingerprint };
    });
    for (const { Role, Count } of script.Roles) {
      const count = rows.filter((row) => row.role === Role).length;
      if (count < Count) throw new KmsError('Forbidden.CeremonyParticipants', `Script ${script.Name} needs ${Count} ${Role} participant(s); ${count} given.`);
    }
    return rows;
  }
}
