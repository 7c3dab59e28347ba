import { watchClusterHealth } from './clusters/cluster-health';
import type { OperationHandlers } from './handlers-type';
import { bindHandlers } from './handlers';
import { KeyMaintenance, type MaintenanceProblemSink } from './keys/key-maintenance';
import { buildServiceSet, type ServiceDeps } from './service-set';

export interface Services {
  handlers: OperationHandlers;
  /** Work that falls due with time (deletions, rotation, expiry, secret destruction). */
  maintenance: KeyMaintenance;
  /** Stops the maintenance timer (waiting for a round in progress) and the cluster health watch. */
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
    onProblem: deps.onProblem,
  });
  return {
    handlers: bindHandlers(services),
    maintenance,
    async dispose() {
      stopHealthWatch();
      await maintenance.close();
    },
  };
}
