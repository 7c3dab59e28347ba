import type { CeremonyScript, CeremonyStep } from '../../../../shared/contract';
import type { AuditRow, CeremonyRow, CeremonyStepRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import type { ServiceContext } from '../service-context';
import { isOtherRunnerAlive } from './runner-process';

/**
 * Settles steps left RUNNING by a stop of Keyward (a kill, a power cut) from the audit chain: the
 * step's operation wrote a SUCCESS record naming the step in the same transaction as its change,
 * so that record is the proof it ran. Without one the step is PENDING again. Nothing is ever run
 * here: running it again is the officer's decision, made by asking for the step once more.
 */
export class CeremonyRecovery {
  constructor(
    private readonly context: ServiceContext,
    private readonly audit: AuditTrail,
    /** Steps this process is running right now: RUNNING for them is the truth, not a leftover. */
    private readonly isInFlight: (ceremonyId: string, stepId: string) => boolean,
  ) {}

  settle(ceremony: CeremonyRow, script: CeremonyScript, request: RequestContext): void {
    const { registry } = this.context;
    for (const step of registry.ceremonies.steps(ceremony.id)) {
      if (step.state !== 'RUNNING' || this.isInFlight(ceremony.id, step.stepId) || isOtherRunnerAlive(step.runner)) continue;
      registry.transaction(() => {
        // Read again under the write lock: another process may have settled it meanwhile.
        const current = registry.ceremonies.steps(ceremony.id).find((candidate) => candidate.stepId === step.stepId);
        if (current?.state !== 'RUNNING' || isOtherRunnerAlive(current.runner)) return;
        this.settleStep(ceremony, script.Steps.find((candidate) => candidate.StepId === step.stepId), current, request);
      });
    }
  }

  private settleStep(ceremony: CeremonyRow, scriptStep: CeremonyStep | undefined, step: CeremonyStepRow, request: RequestContext): void {
    const { registry } = this.context;
    const sequence =
      step.operation === null
        ? null
        : registry.ceremonies.findStepAuditRecord({ ceremonyId: ceremony.id, stepId: step.stepId, operation: step.operation, fromSequence: ceremony.firstAuditSequence ?? 0 });
    const record = sequence === null ? null : registry.audit.get(sequence);
    const settled: CeremonyStepRow = record
      ? {
          ...step,
          state: (scriptStep?.WitnessSignOffs ?? 0) > 0 ? 'DONE' : 'SIGNED_OFF',
          finishedAt: record.time,
          auditSequence: record.sequence,
          outputs: scriptStep ? derivedOutputs(scriptStep, record) : [],
          errorCode: null,
          errorMessage: null,
          recovered: `ran: audit record #${record.sequence}`,
          runner: null,
        }
      : { ...step, state: 'PENDING', recovered: 'did not run: no audit record', runner: null };
    const details = {
      CeremonyId: ceremony.id,
      StepId: step.stepId,
      Operation: step.operation ?? '',
      Phase: 'RECOVERED',
      Ran: record !== null,
      ...(record ? { AuditSequence: record.sequence } : {}),
    };
    this.audit.recordChange(request, { operation: 'RunCeremonyStep', resourceId: ceremony.id, details }, () => {
      registry.ceremonies.saveStep(settled, ['RUNNING']);
    });
  }
}

/**
 * What can still be known of a step's outputs once its result is lost: an identifier the audit
 * record names (its details, or its resource when the step records a single identifier). The rest
 * stays empty, which later steps treat as missing rather than filling in an empty value.
 */
function derivedOutputs(step: CeremonyStep, record: AuditRow): CeremonyStepRow['outputs'] {
  const idOutputs = step.Outputs.filter((spec) => spec.Kind === 'VALUE' && lastSegment(spec.From).endsWith('Id'));
  return step.Outputs.map((spec) => {
    if (spec.Kind !== 'VALUE') return { Name: spec.Name, Kind: spec.Kind, Value: '' };
    const named = record.details[lastSegment(spec.From)];
    if (typeof named === 'string' || typeof named === 'number') return { Name: spec.Name, Kind: spec.Kind, Value: String(named) };
    const onlyId = idOutputs.length === 1 && idOutputs[0] === spec;
    return { Name: spec.Name, Kind: spec.Kind, Value: onlyId ? record.resourceId : '' };
  });
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}
