/**
 * Reading clusters for the contract, and the ACTIVE ⇄ DEGRADED transitions: a cluster that was
 * activated is DEGRADED while any member is unreachable (or not logged in to its key store) and
 * ACTIVE again once every member answers. Each transition is audited with the operation that saw it.
 */
import { randomUUID } from 'node:crypto';
import type { OperationName } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { ClusterRow, ClusterState, HsmRow } from '../../registry';
import type { AuditTrail, MaintenanceEvent } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { apiDate } from '../api-date';

export function requireCluster(context: ServiceContext, clusterId: string): ClusterRow {
  const cluster = context.registry.clusters.get(clusterId);
  if (!cluster) throw new KmsError('NotFound.Cluster', `Cluster ${clusterId} does not exist.`);
  return cluster;
}

export function isActivated(state: ClusterState): boolean {
  return state === 'ACTIVE' || state === 'DEGRADED';
}

export function clusterSummary(context: ServiceContext, cluster: ClusterRow) {
  const members = context.registry.hsms.listByCluster(cluster.id);
  return {
    ClusterId: cluster.id,
    ClusterName: cluster.name,
    Description: cluster.description,
    State: cluster.state,
    LabCluster: cluster.allowSingleHsm,
    HsmCount: members.length,
    Zones: [...new Set(members.map((member) => member.zone))].sort(),
    KeyStoreId: context.registry.keyStores.getByClusterId(cluster.id)?.id ?? null,
    CreationDate: apiDate(cluster.createdAt),
  };
}

/**
 * Two or more HSMs in two or more zones, unless the cluster is a single-HSM lab cluster. Only
 * members that are part of the cluster count: an HSM added later serves nothing until JoinHsm.
 */
export function redundancyProblem(context: ServiceContext, cluster: ClusterRow): string | null {
  return redundancyProblemOf(cluster, context.registry.hsms.listByCluster(cluster.id).filter((member) => member.state === 'INITIALIZED'));
}

/** The redundancy rule applied to a given set of members (e.g. the ones left after a removal). */
export function redundancyProblemOf(cluster: ClusterRow, members: readonly HsmRow[]): string | null {
  if (members.length === 0) return `Cluster ${cluster.id} has no HSM.`;
  if (cluster.allowSingleHsm) return null;
  const zones = new Set(members.map((member) => member.zone));
  if (members.length < 2 || zones.size < 2) {
    return `Cluster ${cluster.id} needs at least two HSMs in different zones (it has ${members.length} in ${zones.size} zone(s)); create it with AllowSingleHsm for a single-HSM lab cluster.`;
  }
  return null;
}

/** Records ACTIVE or DEGRADED for an activated cluster when what was observed differs from the registry. */
export function recordHealth(
  context: ServiceContext,
  audit: AuditTrail,
  request: RequestContext | null,
  operation: OperationName | MaintenanceEvent,
  clusterId: string,
  degraded: boolean,
): ClusterState {
  const cluster = context.registry.clusters.get(clusterId);
  if (!cluster) return 'UNINITIALIZED';
  if (!isActivated(cluster.state)) return cluster.state;
  const state: ClusterState = degraded ? 'DEGRADED' : 'ACTIVE';
  if (state === cluster.state) return state;
  const change = () => context.registry.clusters.update(clusterId, { state }, isoNow(context));
  if (request) audit.recordChange(request, { operation, resourceId: clusterId, details: { State: state } }, change);
  else audit.recordChange(systemRequest(), { operation, resourceId: clusterId, details: { State: state } }, change);
  return state;
}

/** Health changes noticed outside any request (a member dropped during a crypto call). */
function systemRequest(): RequestContext {
  return { requestId: randomUUID(), transport: 'internal', actor: 'keyward', progress: () => undefined };
}
