/**
 * Keeps the recorded cluster state honest between explicit probes: when a crypto call or a worker
 * crash takes a member out of a connected cluster key store, the cluster becomes DEGRADED.
 */
import type { AuditTrail } from '../audit/audit-trail';
import type { KeyStoreConnections } from '../keystores/connections';
import type { ServiceContext } from '../service-context';
import { recordHealth } from './cluster-state';

export function watchClusterHealth(context: ServiceContext, connections: KeyStoreConnections, audit: AuditTrail): () => void {
  return connections.onTokenLost((keyStoreId, token) => {
    if (!token.member) return;
    const store = context.registry.keyStores.get(keyStoreId);
    if (!store?.clusterId) return;
    recordHealth(context, audit, null, 'ClusterHealthChange', store.clusterId, true);
  });
}
