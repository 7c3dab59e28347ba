/**
 * HSM clusters and their members: create, add HSMs (to an initialized cluster they come in
 * UNINITIALIZED, for JoinHsm), remove HSMs, describe (with a live probe of every member), activate,
 * and hand out the ClusterOwnerCertificate.
 */
import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { RegistryConstraintError, type ClusterRow, type HsmRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import type { KeyStoreConnections } from '../keystores/connections';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { memberOf, memberSlot, probeCluster } from './cluster-members';
import { newClusterId, newHsmId, transportKeyObjectId } from './cluster-objects';
import { clusterSummary, isActivated, recordHealth, redundancyProblem, redundancyProblemOf, requireCluster } from './cluster-state';

export class ClusterService {
  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
    private readonly audit: AuditTrail,
  ) {}

  create(input: ParsedInput<'CreateCluster'>, request: RequestContext): OperationResult<'CreateCluster'> {
    const now = isoNow(this.context);
    const id = newClusterId();
    try {
      this.audit.recordChange(
        request,
        { operation: 'CreateCluster', resourceId: id, details: { ClusterName: input.ClusterName, LabCluster: input.AllowSingleHsm } },
        () =>
          this.context.registry.clusters.insert({
            id,
            name: input.ClusterName,
            description: input.Description,
            state: 'UNINITIALIZED',
            allowSingleHsm: input.AllowSingleHsm,
            ownerCertificatePem: null,
            createdAt: now,
            updatedAt: now,
          }),
      );
    } catch (error) {
      if (error instanceof RegistryConstraintError && error.kind === 'unique') {
        throw new KmsError('AlreadyExists.Cluster', `A cluster named ${input.ClusterName} already exists.`);
      }
      throw error;
    }
    return { ClusterId: id, State: 'UNINITIALIZED' };
  }

  async createHsm(input: ParsedInput<'CreateHsm'>, request: RequestContext): Promise<OperationResult<'CreateHsm'>> {
    const { registry } = this.context;
    // Added to an initialized cluster, the HSM stays UNINITIALIZED (outside the key store) until JoinHsm.
    const cluster = requireCluster(this.context, input.ClusterId);
    if (!registry.modules.get(input.ModuleId)) throw new KmsError('NotFound.Module', `Module ${input.ModuleId} is not registered.`);
    const id = newHsmId();
    const now = isoNow(this.context);
    const draft = {
      id,
      clusterId: cluster.id,
      moduleId: input.ModuleId,
      tokenSerial: input.TokenSerial ?? null,
      slotId: input.SlotId ?? null,
      zone: input.Zone,
      label: '',
      state: 'UNINITIALIZED' as const,
      // After the owner (first position): positions only grow, removals leave gaps.
      position: Math.max(-1, ...registry.hsms.listByCluster(cluster.id).map((member) => member.position)) + 1,
      createdAt: now,
      updatedAt: now,
    };
    const member = memberOf(this.context, draft);
    const slots = await member.client.listSlots();
    const slot = memberSlot(draft, slots);
    if (!slot?.token) {
      const where = input.TokenSerial !== undefined ? `token ${input.TokenSerial}` : `a token in slot ${input.SlotId}`;
      throw new KmsError('HsmError.TokenNotPresent', `Module ${member.moduleName} shows no ${where}.`);
    }
    const serial = slot.token.serial;
    if (slot.token.initialized && registry.keyStores.list().some((store) => store.moduleId === input.ModuleId && store.tokenSerial === serial)) {
      throw new KmsError('AlreadyExists.Hsm', `Token ${serial} already backs a key store.`);
    }
    // An initialized token is known by its serial from now on: slot ids move, serials stay.
    const row = {
      ...draft,
      tokenSerial: slot.token.initialized ? slot.token.serial : null,
      slotId: slot.token.initialized ? null : slot.slotId,
      label: slot.token.label,
    };
    try {
      this.audit.recordChange(
        request,
        { operation: 'CreateHsm', resourceId: id, details: { ClusterId: cluster.id, ModuleId: input.ModuleId, Zone: input.Zone } },
        () => registry.hsms.insert(row),
      );
    } catch (error) {
      if (error instanceof RegistryConstraintError && error.kind === 'unique') {
        throw new KmsError('AlreadyExists.Hsm', 'This token already belongs to a cluster.');
      }
      throw error;
    }
    return { HsmId: id };
  }

  async deleteHsm(input: ParsedInput<'DeleteHsm'>, request: RequestContext): Promise<OperationResult<'DeleteHsm'>> {
    const { registry } = this.context;
    const row = registry.hsms.get(input.HsmId);
    if (!row) throw new KmsError('NotFound.Hsm', `HSM ${input.HsmId} does not exist.`);
    const cluster = requireCluster(this.context, row.clusterId);
    if (cluster.state !== 'UNINITIALIZED' && row.state === 'INITIALIZED') this.requireRemovable(cluster, row);
    const store = registry.keyStores.getByClusterId(cluster.id);
    this.audit.recordChange(request, { operation: 'DeleteHsm', resourceId: row.id, details: { ClusterId: cluster.id, State: row.state } }, () =>
      registry.hsms.delete(row.id),
    );
    if (store) {
      const removed = this.connections.removeMember(store.id, row.id);
      await Promise.allSettled(removed.map((token) => token.hsm.logout()));
      // The members no longer wrap anything for the HSM that left: its trusted transport key goes.
      // (A disconnected store keeps it until reconnected members are cleaned by hand; no login here.)
      const objectId = transportKeyObjectId(row.id);
      await Promise.allSettled(this.connections.tokensOf(store.id).map((token) => token.hsm.destroyKey({ objectId })));
    }
    return { HsmId: row.id };
  }

  /** A member of an initialized cluster may go unless it holds the owner key or the rest would lack redundancy. */
  private requireRemovable(cluster: ClusterRow, row: HsmRow): void {
    const members = this.context.registry.hsms.listByCluster(cluster.id);
    if (members[0]?.id === row.id) {
      throw new KmsError(
        'Forbidden.ClusterState',
        `HSM ${row.id} holds the owner key of cluster ${cluster.id} (it signs the ClusterOwnerCertificate, the trust anchor of the key store) and cannot be removed.`,
      );
    }
    const remaining = members.filter((member) => member.id !== row.id && member.state === 'INITIALIZED');
    const problem = redundancyProblemOf(cluster, remaining);
    if (problem) throw new KmsError('InsufficientHsms', `HSM ${row.id} cannot be removed: without it, ${problem.charAt(0).toLowerCase()}${problem.slice(1)}`);
  }

  list(): OperationResult<'DescribeClusters'> {
    return { Clusters: this.context.registry.clusters.list().map((cluster) => clusterSummary(this.context, cluster)) };
  }

  async describe(input: ParsedInput<'DescribeCluster'>, request: RequestContext): Promise<OperationResult<'DescribeCluster'>> {
    const cluster = requireCluster(this.context, input.ClusterId);
    const probes = await probeCluster(this.context, cluster.id);
    // A member that answers but is not logged in to the connected key store serves no key either.
    const store = this.context.registry.keyStores.getByClusterId(cluster.id);
    const connected = store && this.connections.get(store.id).state === 'CONNECTED' ? this.connections.tokensOf(store.id) : null;
    const serving = (hsmId: string) => !connected || connected.some((token) => token.member?.hsmId === hsmId);
    // Members added after initialization serve nothing until they join: they do not degrade the cluster.
    const joined = probes.filter((probe) => probe.member.row.state === 'INITIALIZED');
    const degraded = joined.some((probe) => probe.health !== 'HEALTHY' || !serving(probe.member.row.id));
    recordHealth(this.context, this.audit, request, 'DescribeCluster', cluster.id, degraded);
    const current = requireCluster(this.context, cluster.id);
    return {
      Cluster: {
        ...clusterSummary(this.context, current),
        Hsms: probes.map(({ member, health, capabilities, slot }) => ({
          HsmId: member.row.id,
          ModuleId: member.row.moduleId,
          ModuleName: member.moduleName,
          TokenSerial: member.row.tokenSerial,
          SlotId: slot?.slotId ?? member.row.slotId,
          Zone: member.row.zone,
          Label: slot?.token?.label ?? member.row.label,
          State: member.row.state,
          Health: health,
          Reachable: health !== 'UNREACHABLE',
          NetworkHsm: member.network,
          SupportsAesKeyWrap: capabilities?.aesKeyWrap ?? false,
          SupportsAesGcm: capabilities?.aesGcm ?? false,
        })),
      },
    };
  }

  activate(input: ParsedInput<'ActivateCluster'>, request: RequestContext): OperationResult<'ActivateCluster'> {
    const cluster = requireCluster(this.context, input.ClusterId);
    if (isActivated(cluster.state)) return { ClusterId: cluster.id, State: cluster.state, LabCluster: cluster.allowSingleHsm };
    if (cluster.state !== 'INITIALIZED') {
      throw new KmsError('Forbidden.ClusterState', `Cluster ${cluster.id} is ${cluster.state}; initialize it first.`);
    }
    const problem = redundancyProblem(this.context, cluster);
    if (problem) throw new KmsError('InsufficientHsms', problem);
    this.audit.recordChange(
      request,
      { operation: 'ActivateCluster', resourceId: cluster.id, details: { LabCluster: cluster.allowSingleHsm } },
      () => this.context.registry.clusters.update(cluster.id, { state: 'ACTIVE' }, isoNow(this.context)),
    );
    return { ClusterId: cluster.id, State: 'ACTIVE', LabCluster: cluster.allowSingleHsm };
  }

  certificate(input: ParsedInput<'GetClusterCertificate'>): OperationResult<'GetClusterCertificate'> {
    const cluster = requireCluster(this.context, input.ClusterId);
    if (!cluster.ownerCertificatePem) {
      throw new KmsError('Forbidden.ClusterState', `Cluster ${cluster.id} is ${cluster.state}: it has no owner certificate before InitializeCluster.`);
    }
    return { ClusterId: cluster.id, ClusterOwnerCertificate: cluster.ownerCertificatePem };
  }
}
