import type { z } from 'zod';
import { contract, EXECUTION_SECRET_FIELDS, isOperationName, type CeremonyStep, type OperationName, type OperationResult, type ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { CeremonyStepRow, CeremonyStepState } from '../../registry';
import { isAuditedFailure } from '../audit/audited-failure';
import { resourceIdOf } from '../audit/resource-id';
import type { AuditDetails, AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { recordOutputs } from './ceremony-outputs';
import { currentStepOf } from './ceremony-records';
import { ownRunnerProcess } from './runner-process';
import { fillTemplate, secretFieldsOf, type TemplateValues } from './ceremony-template';
import { findStep, type CeremonyLoader, type InFlightSteps, type LoadedCeremony } from './ceremony-loader';

/** Runs an operation's handler as the contract does, quorum rules included, below the write gate (RunCeremonyStep holds it). */
export type CeremonyOperationRunner = (operation: OperationName, input: unknown, request: RequestContext) => Promise<unknown>;

/** States from which the current step may be asked to run. */
const RUNNABLE: readonly CeremonyStepState[] = ['PENDING', 'FAILED', 'AWAITING_APPROVAL'];

/** What one run calls: the step's operation, or the approved request that carries it. */
interface StepCall {
  operation: OperationName;
  /** The step's own operation (the one whose audit record proves it ran). */
  stepOperation: OperationName;
  input: unknown;
  /** The input as recorded: secret fields left out. */
  recorded: Record<string, unknown>;
  viaApproval: string | null;
}

/**
 * RunCeremonyStep: the current step's operation through the normal contract. The step is marked
 * RUNNING (and audited) in its own transaction before the call, so a stop in the middle leaves a
 * trace the recovery settles from the audit chain; the operation's own records name the step.
 * A refusal of the operation is the step's outcome (FAILED, or AWAITING_APPROVAL for a quorum),
 * not an error of RunCeremonyStep.
 */
export class CeremonyStepRunner {
  private runner: CeremonyOperationRunner | null = null;

  constructor(
    private readonly context: ServiceContext,
    private readonly audit: AuditTrail,
    private readonly loader: CeremonyLoader,
    private readonly inFlight: InFlightSteps,
  ) {}

  /** Set once the handlers exist (they are built from the services, this one included). */
  bindRunner(runner: CeremonyOperationRunner): void {
    this.runner = runner;
  }

  async run(input: ParsedInput<'RunCeremonyStep'>, request: RequestContext): Promise<OperationResult<'RunCeremonyStep'>> {
    const loaded = this.loader.loadForWrite(input.CeremonyId, request);
    const { step, scriptStep } = findStep(loaded, input.StepId);
    const current = currentStepOf(loaded.steps);
    if (current?.stepId !== step.stepId) {
      throw new KmsError('Forbidden.CeremonyStepOrder', `Step ${step.stepId} is not the current step of ceremony ${loaded.row.id}; ${current ? `step ${current.stepId} (${current.state}) is` : 'no step is'}.`);
    }
    if (!RUNNABLE.includes(step.state)) {
      const why = step.state === 'DONE' ? 'it ran and waits for its witnesses to sign it off' : `it is ${step.state}`;
      throw new KmsError('Forbidden.CeremonyStepOrder', `Step ${step.stepId} cannot run again: ${why}.`);
    }
    if (!this.inFlight.enter(loaded.row.id, step.stepId)) throw new KmsError('Forbidden.CeremonyStepOrder', `Step ${step.stepId} is running now.`);
    try {
      if (scriptStep.Operation === undefined) this.confirm(loaded, step, scriptStep, request);
      else await this.runOperation(loaded, step, scriptStep, input, request);
    } finally {
      this.inFlight.leave(loaded.row.id, step.stepId);
    }
    return this.loader.describeStep(loaded.row.id, step.stepId);
  }

  /** A step for people only: confirming it is its record (its own audit record is its AuditSequence). */
  private confirm(loaded: LoadedCeremony, step: CeremonyStepRow, scriptStep: CeremonyStep, request: RequestContext): void {
    const { registry } = this.context;
    const now = isoNow(this.context);
    registry.transaction(() => {
      this.audit.recordChange(request, this.entry(loaded, step, { Phase: 'CONFIRMED' }), () => undefined);
      // Inside this write transaction the newest record is the one just written.
      const auditSequence = registry.audit.last()?.sequence ?? null;
      const done = { ...step, state: doneState(scriptStep), attempts: step.attempts + 1, runBy: request.actor, startedAt: now, finishedAt: now, auditSequence, errorCode: null, errorMessage: null, recovered: null };
      if (!registry.ceremonies.saveStep(done, RUNNABLE)) throw changedMeanwhile(step.stepId);
    });
  }

  private async runOperation(loaded: LoadedCeremony, step: CeremonyStepRow, scriptStep: CeremonyStep, input: ParsedInput<'RunCeremonyStep'>, request: RequestContext): Promise<void> {
    const operation = scriptStep.Operation;
    if (operation === undefined || !isOperationName(operation) || !this.runner) throw new KmsError('InternalFailure', `Step ${step.stepId} names no operation Keyward can run.`);
    const values: TemplateValues = { parameters: input.Input ?? {}, secrets: input.Secrets ?? {}, outputs: earlierOutputs(loaded.steps, step) };
    const call = this.callFor(step, scriptStep, operation, values);
    const running = this.markRunning(loaded, step, call, request);
    if (!call.parsed.success) {
      // An approved request stays approved: only what was given this time was wrong.
      const state = call.viaApproval !== null ? 'AWAITING_APPROVAL' : 'FAILED';
      this.settle(loaded, running, { state, errorCode: 'InvalidParameter', errorMessage: issuesOf(call.parsed.error) }, request);
      return;
    }
    const stepRequest: RequestContext = { ...request, ceremony: { ceremonyId: loaded.row.id, stepId: step.stepId } };
    let result: unknown;
    try {
      const returned = await this.runner(call.operation, call.parsed.data, stepRequest);
      result = call.viaApproval === null ? returned : (returned as { Result?: unknown }).Result;
    } catch (error) {
      this.recordRefusal(loaded, running, call, error, request, stepRequest);
      if (!(error instanceof KmsError)) throw error;
      return;
    }
    const auditSequence = contract[operation].mutates
      ? this.context.registry.ceremonies.findStepAuditRecord({ ceremonyId: loaded.row.id, stepId: step.stepId, operation, fromSequence: loaded.row.firstAuditSequence ?? 0 })
      : null;
    this.settle(loaded, running, { state: doneState(scriptStep), outputs: recordOutputs(scriptStep, result), auditSequence }, request);
  }

  /** The call to make: the step's operation with its filled input, or the approved request waiting for this step. */
  private callFor(step: CeremonyStepRow, scriptStep: CeremonyStep, operation: OperationName, values: TemplateValues): StepCall & { parsed: z.ZodSafeParseResult<unknown> } {
    if (step.state === 'AWAITING_APPROVAL' && step.approvalRequestId !== null) {
      // What runs is the request as approved; only the secret fields are given again.
      const secretFields = secretFieldsOf(operation);
      const secretTemplate = Object.fromEntries(Object.entries(scriptStep.Input ?? {}).filter(([field]) => secretFields.includes(field)));
      const secrets = fillTemplate({ ...scriptStep, Input: secretTemplate }, values).input;
      const carried = Object.fromEntries(EXECUTION_SECRET_FIELDS.flatMap((field) => (Object.hasOwn(secrets, field) ? [[field, secrets[field]]] : [])));
      const executeInput = { ApprovalRequestId: step.approvalRequestId, ...carried };
      return { operation: 'ExecuteApprovedRequest', stepOperation: operation, input: executeInput, recorded: step.input ?? {}, viaApproval: step.approvalRequestId, parsed: contract.ExecuteApprovedRequest.input.safeParse(executeInput) };
    }
    const filled = fillTemplate(scriptStep, values);
    return { operation, stepOperation: operation, input: filled.input, recorded: filled.recorded, viaApproval: null, parsed: contract[operation].input.safeParse(filled.input) };
  }

  private markRunning(loaded: LoadedCeremony, step: CeremonyStepRow, call: StepCall, request: RequestContext): CeremonyStepRow {
    const running: CeremonyStepRow = {
      ...step,
      state: 'RUNNING',
      operation: call.stepOperation,
      input: call.recorded,
      outputs: [],
      runBy: request.actor,
      startedAt: isoNow(this.context),
      finishedAt: null,
      attempts: step.attempts + 1,
      errorCode: null,
      errorMessage: null,
      auditSequence: null,
      recovered: null,
      runner: ownRunnerProcess(),
    };
    const details = { Phase: 'STARTED', Attempt: running.attempts, ...(call.viaApproval ? { ApprovalRequestId: call.viaApproval } : {}) };
    this.audit.recordChange(request, this.entry(loaded, running, details), () => {
      if (!this.context.registry.ceremonies.saveStep(running, RUNNABLE)) throw changedMeanwhile(step.stepId);
    });
    return running;
  }

  /** A refused call: FAILED, or waiting for approvals (a new quorum request, or the approved one not runnable yet). */
  private recordRefusal(loaded: LoadedCeremony, running: CeremonyStepRow, call: StepCall, error: unknown, request: RequestContext, stepRequest: RequestContext): void {
    const code = error instanceof KmsError ? error.code : 'InternalFailure';
    const message = error instanceof KmsError ? error.message : 'The operation failed internally; nothing it could not roll back was changed.';
    const quorumRequestId = code === 'QuorumRequired' ? error instanceof KmsError && error.details?.ApprovalRequestId : undefined;
    const waiting = typeof quorumRequestId === 'string' ? quorumRequestId : call.viaApproval !== null && this.approvalStillOpen(call.viaApproval) ? call.viaApproval : null;
    this.context.registry.transaction(() => {
      // What the dispatcher would have written for this call had it come alone (a quorum refusal is audited already).
      if (contract[call.operation].mutates && !isAuditedFailure(error)) {
        this.audit.recordFailedEvent(stepRequest, { operation: call.operation, resourceId: resourceIdOf(call.input) }, code);
      }
      const outcome = waiting !== null ? { state: 'AWAITING_APPROVAL' as const, approvalRequestId: waiting } : { state: 'FAILED' as const };
      this.settle(loaded, running, { ...outcome, errorCode: code, errorMessage: message }, request);
    });
  }

  /** Records the run's outcome with its audit record; a row another process settled meanwhile is left as it is. */
  private settle(loaded: LoadedCeremony, running: CeremonyStepRow, outcome: Partial<CeremonyStepRow> & { state: CeremonyStepState }, request: RequestContext): void {
    const { registry } = this.context;
    const settled: CeremonyStepRow = { ...running, ...outcome, finishedAt: isoNow(this.context), runner: null };
    const details: AuditDetails = {
      Phase: settled.state,
      ...(settled.errorCode ? { ErrorCode: settled.errorCode } : {}),
      ...(settled.auditSequence !== null ? { AuditSequence: settled.auditSequence } : {}),
      ...(settled.approvalRequestId ? { ApprovalRequestId: settled.approvalRequestId } : {}),
    };
    registry.transaction(() => {
      // PENDING too: another process's recovery may have judged it not run while it was running here.
      if (registry.ceremonies.saveStep(settled, ['RUNNING', 'PENDING'])) this.audit.recordChange(request, this.entry(loaded, settled, details), () => undefined);
    });
  }

  private approvalStillOpen(id: string): boolean {
    const row = this.context.registry.officers.getRequest(id);
    return row?.state === 'PENDING' && Date.parse(row.expiresAt) > this.context.now().getTime();
  }

  private entry(loaded: LoadedCeremony, step: CeremonyStepRow, details: AuditDetails) {
    return {
      operation: 'RunCeremonyStep' as const,
      resourceId: loaded.row.id,
      details: { CeremonyId: loaded.row.id, StepId: step.stepId, Operation: step.operation ?? '', ...details },
    };
  }
}

function doneState(step: CeremonyStep): CeremonyStepState {
  return step.WitnessSignOffs > 0 ? 'DONE' : 'SIGNED_OFF';
}

/** VALUE outputs of the steps before `step`; an empty value (not known) is left out, so using it reads as missing. */
function earlierOutputs(steps: readonly CeremonyStepRow[], step: CeremonyStepRow): Record<string, Record<string, string>> {
  const outputs: Record<string, Record<string, string>> = {};
  for (const earlier of steps) {
    if (earlier.position >= step.position) continue;
    outputs[earlier.stepId] = Object.fromEntries(earlier.outputs.filter((output) => output.Kind === 'VALUE' && output.Value !== '').map((output) => [output.Name, output.Value]));
  }
  return outputs;
}

/** Field paths and zod's messages (which name types, never values). */
function issuesOf(error: z.ZodError): string {
  const text = error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`).join('; ');
  return `The filled input does not fit the operation: ${text}`.slice(0, 1_000);
}

function changedMeanwhile(stepId: string): KmsError {
  return new KmsError('Forbidden.CeremonyStepOrder', `Step ${stepId} changed while this request was checking it; describe the ceremony and try again.`);
}
