import { watchClusterHealth } from './clusters/cluster-health';
import type { OperationHandlers } from './handlers-type';
import { bindHandlers } from './handlers';
import { KeyMaintenance, type MaintenanceProblemSink } from './keys/key-maintenance';
import { buildServiceSet, type ServiceDeps } from './service-set';
import { contract, OPERATION_NAMES, type OperationName } from '../../../shared/contract';
import type { WriteGate } from './backup/write-gate';
import type { ApprovalService } from './quorum/approval-service';
import { PROTECTABLE_OPERATIONS } from './quorum/quorum-policy';
import type { RequestContext } from './request-context';

export interface Services {
  handlers: OperationHandlers;
  /** Work that falls due with time (deletions, rotation, expiry, secret destruction). */
  maintenance: KeyMaintenance;
  /** Stops the application endpoint, the maintenance timer (waiting for a round in progress) and the cluster health watch. */
  dispose(): Promise<void>;
}

/**
 * Builds every service once and hands out what uses them: the operation handlers, the maintenance
 * rounds and the cluster health watch. `onProblem` hears what maintenance could not do (it is
 * audited as well).
 */
export function createServices(deps: ServiceDeps & { onProblem: MaintenanceProblemSink }): Services {
  const services = buildServiceSet(deps);
  const { context, connections, audit } = deps;
  const stopHealthWatch = watchClusterHealth(context, connections, audit);
  const maintenance = new KeyMaintenance({
    context,
    connections,
    versions: services.versions,
    keyImport: services.keyImport,
    audit,
    secrets: services.secrets.sweep,
    endpoint: services.endpoint,
    onProblem: deps.onProblem,
    gate: deps.gate,
  });
  const handlers = requireQuorum(bindHandlers(services), services.approvals);
  // ExecuteApprovedRequest holds the write gate already: the approved operation runs below it.
  const runUngated = (operation: OperationName, input: unknown, request: RequestContext) => (handlers[operation] as (input: unknown, request: unknown) => Promise<unknown>)(input, request);
  services.approvals.bindRunner(runUngated);
  // RunCeremonyStep holds the write gate as well: a step's operation (quorum rules included) runs below it.
  services.ceremonies.bindRunner(runUngated);
  return {
    handlers: gateStateChanges(handlers, deps.gate),
    maintenance,
    async dispose() {
      stopHealthWatch();
      // Applications stop reaching the keys before anything below them closes.
      await services.endpoint.close();
      await maintenance.close();
    },
  };
}

/** Every operation a quorum policy may name first asks the approval service whether it may run now. */
function requireQuorum(handlers: OperationHandlers, approvals: ApprovalService): OperationHandlers {
  const guarded: Record<string, unknown> = { ...handlers };
  for (const name of PROTECTABLE_OPERATIONS) {
    const handler = handlers[name] as (input: unknown, request: RequestContext) => Promise<unknown>;
    guarded[name] = async (input: Record<string, unknown>, request: RequestContext) => {
      approvals.admit(name, input, request);
      return handler(input, request);
    };
  }
  // Same keys and signatures as `handlers`: each entry was only wrapped.
  return guarded as OperationHandlers;
}

/** Backup and restore take the gate themselves (exclusively); every other state change holds it shared. */
const SELF_GATED = new Set<OperationName>(['CreateBackup', 'RestoreBackup']);

function gateStateChanges(handlers: OperationHandlers, gate: WriteGate): OperationHandlers {
  const gated: Record<string, unknown> = { ...handlers };
  for (const name of OPERATION_NAMES) {
    if (!contract[name].mutates || SELF_GATED.has(name)) continue;
    const handler = handlers[name] as (input: unknown, request: unknown) => Promise<unknown>;
    gated[name] = (input: unknown, request: unknown) => gate.shared(() => handler(input, request));
  }
  // Same keys and signatures as `handlers`: each entry was only wrapped.
  return gated as OperationHandlers;
}
