import type { Ceremony, CeremonyScript, CeremonyStep, CeremonyStepRecord } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { CeremonyRow, CeremonyStepRow } from '../../registry';
import type { RequestContext } from '../request-context';
import type { ServiceContext } from '../service-context';
import type { CeremonyRecovery } from './ceremony-recovery';
import { scriptOf, toCeremony } from './ceremony-records';

export interface LoadedCeremony {
  row: CeremonyRow;
  script: CeremonyScript;
  steps: CeremonyStepRow[];
}

/** Steps this process is running now (between marking them RUNNING and recording the outcome). */
export class InFlightSteps {
  private readonly running = new Set<string>();

  has(ceremonyId: string, stepId: string): boolean {
    return this.running.has(`${ceremonyId}/${stepId}`);
  }

  /** False when the step is already being run here. */
  enter(ceremonyId: string, stepId: string): boolean {
    const key = `${ceremonyId}/${stepId}`;
    if (this.running.has(key)) return false;
    this.running.add(key);
    return true;
  }

  leave(ceremonyId: string, stepId: string): void {
    this.running.delete(`${ceremonyId}/${stepId}`);
  }
}

/** Reads a ceremony with its script and steps; before any write, settles steps a stop left RUNNING. */
export class CeremonyLoader {
  constructor(
    private readonly context: ServiceContext,
    private readonly recovery: CeremonyRecovery,
  ) {}

  load(ceremonyId: string): LoadedCeremony {
    const { ceremonies } = this.context.registry;
    const row = ceremonies.get(ceremonyId);
    if (!row) throw new KmsError('NotFound.Ceremony', `Ceremony ${ceremonyId} does not exist.`);
    return { row, script: scriptOf(row), steps: ceremonies.steps(ceremonyId) };
  }

  /** The ceremony with every step left RUNNING by a stop settled from the audit chain. */
  loadSettled(ceremonyId: string, request: RequestContext): LoadedCeremony {
    const loaded = this.load(ceremonyId);
    if (!loaded.steps.some((step) => step.state === 'RUNNING')) return loaded;
    this.recovery.settle(loaded.row, loaded.script, request);
    return this.load(ceremonyId);
  }

  /** Settled, and still IN_PROGRESS (Forbidden.CeremonyState otherwise). */
  loadForWrite(ceremonyId: string, request: RequestContext): LoadedCeremony {
    const loaded = this.loadSettled(ceremonyId, request);
    requireInProgress(loaded.row);
    return loaded;
  }

  describe(ceremonyId: string): Ceremony {
    const { row, script, steps } = this.load(ceremonyId);
    const { ceremonies } = this.context.registry;
    return toCeremony({ row, script, steps, signOffs: ceremonies.signOffs(row.id), deviations: ceremonies.deviations(row.id) });
  }

  describeStep(ceremonyId: string, stepId: string): { Ceremony: Ceremony; Step: CeremonyStepRecord } {
    const ceremony = this.describe(ceremonyId);
    const step = ceremony.Steps.find((candidate) => candidate.StepId === stepId);
    if (!step) throw noSuchStep(ceremonyId, stepId);
    return { Ceremony: ceremony, Step: step };
  }
}

export function requireInProgress(row: CeremonyRow): void {
  if (row.state !== 'IN_PROGRESS') throw new KmsError('Forbidden.CeremonyState', `Ceremony ${row.id} is ${row.state}; it takes no more changes.`);
}

/** The step's row and its script entry (Forbidden.CeremonyStepOrder for a step the script does not have). */
export function findStep(loaded: LoadedCeremony, stepId: string): { step: CeremonyStepRow; scriptStep: CeremonyStep } {
  const step = loaded.steps.find((candidate) => candidate.stepId === stepId);
  const scriptStep = loaded.script.Steps.find((candidate) => candidate.StepId === stepId);
  if (!step || !scriptStep) throw noSuchStep(loaded.row.id, stepId);
  return { step, scriptStep };
}

function noSuchStep(ceremonyId: string, stepId: string): KmsError {
  return new KmsError('Forbidden.CeremonyStepOrder', `Ceremony ${ceremonyId} has no step ${stepId}.`);
}

