/**
 * SyncCluster: probes every member, drops members that stopped answering, logs kmsuser in on
 * members that came back (when the caller gives the password: Keyward keeps none), then copies
 * every key version of the store to each connected member that lacks it, from one that has it.
 */
import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyStoreRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import { materialSpecOf } from '../keys/key-specs';
import { isUnreachable, type KeyStoreConnections, type TokenHandle } from '../keystores/connections';
import type { RequestContext } from '../request-context';
import type { ServiceContext } from '../service-context';
import { probeCluster, tokenMemberOf, type ProbedMember } from './cluster-members';
import { keyObjectLabel } from './cluster-objects';
import { withWorker } from './cluster-key-stores';
import { recordHealth, requireCluster } from './cluster-state';
import { copyVersion, type VersionObject } from './replication';

type MemberReport = OperationResult<'SyncCluster'>['Members'][number];

const PAGE_SIZE = 100;

interface StoredVersion {
  keyId: string;
  versionId: string;
  object: VersionObject;
}

export class ClusterSync {
  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
    private readonly audit: AuditTrail,
  ) {}

  async sync(input: ParsedInput<'SyncCluster'>, request: RequestContext): Promise<OperationResult<'SyncCluster'>> {
    const cluster = requireCluster(this.context, input.ClusterId);
    const store = this.context.registry.keyStores.getByClusterId(cluster.id);
    if (!store) throw new KmsError('NotFound.KeyStore', `Cluster ${cluster.id} has no key store to synchronize.`);
    if (this.connections.get(store.id).state !== 'CONNECTED') {
      throw new KmsError('Forbidden.KeyStoreState', `Key store ${store.id} is ${this.connections.get(store.id).state}; connect it first.`);
    }
    const probes = await probeCluster(this.context, cluster.id);
    const reports = new Map<string, MemberReport>(
      probes.map((probe) => [probe.member.row.id, { HsmId: probe.member.row.id, Health: probe.health, Connected: false, Replicated: 0, Failed: [] }]),
    );
    const returned = await this.refreshMembers(store, probes, input.KeyStorePassword);

    for (const version of this.versionsOf(store)) {
      await this.syncVersion(store, version, reports);
    }
    for (const token of this.connections.tokensOf(store.id)) {
      const report = token.member ? reports.get(token.member.hsmId) : undefined;
      if (report) report.Connected = true;
    }

    const members = [...reports.values()];
    const degraded = members.some((member) => member.Health !== 'HEALTHY' || !member.Connected);
    const state = recordHealth(this.context, this.audit, request, 'SyncCluster', cluster.id, degraded);
    const replicated = members.reduce((sum, member) => sum + member.Replicated, 0);
    const failed = members.reduce((sum, member) => sum + member.Failed.length, 0);
    this.audit.recordEvent(request, { operation: 'SyncCluster', resourceId: cluster.id, details: { Replicated: replicated, Failed: failed } });
    // Only now, with the returning members caught up: due deletions waited for every member.
    if (returned > 0) this.connections.announceMembersBack(store.id);
    return { ClusterId: cluster.id, State: state, Members: members };
  }

  /** Connection tokens follow the probe: gone members out, returning members in (with the password); returns how many came back. */
  private async refreshMembers(store: KeyStoreRow, probes: ProbedMember[], password: string | undefined): Promise<number> {
    const connected = new Map(this.connections.tokensOf(store.id).map((token) => [token.member?.hsmId ?? '', token]));
    const returning: TokenHandle[] = [];
    for (const probe of probes) {
      const token = connected.get(probe.member.row.id);
      if (probe.health !== 'HEALTHY') {
        if (token) this.connections.dropToken(store.id, token);
        continue;
      }
      if (token && (await token.client.isLoggedIn({ serial: token.serial }).catch(() => false))) continue;
      if (token) this.connections.dropToken(store.id, token);
      if (password === undefined) continue;
      const fresh: TokenHandle = { client: probe.member.client, serial: probe.member.row.tokenSerial ?? '', member: tokenMemberOf(probe) };
      // A wrong password is the caller's error; nothing was changed yet.
      await fresh.client.login({ serial: fresh.serial, userPin: password });
      returning.push(withWorker(fresh));
    }
    this.connections.addTokens(store.id, returning);
    return returning.length;
  }

  private async syncVersion(store: KeyStoreRow, version: StoredVersion, reports: Map<string, MemberReport>): Promise<void> {
    const tokens = this.connections.tokensOf(store.id);
    const holders: TokenHandle[] = [];
    const missing: TokenHandle[] = [];
    for (const token of tokens) {
      try {
        const present = await token.client.keyExists({ serial: token.serial, objectId: version.object.objectId });
        (present ? holders : missing).push(token);
      } catch (error) {
        if (isUnreachable(error)) this.connections.dropToken(store.id, token);
        else this.fail(reports, token, version, error);
      }
    }
    const [source] = holders;
    for (const target of missing) {
      if (!source) {
        this.fail(reports, target, version, new KmsError('HsmError.ObjectNotFound', 'no connected member holds this key version'));
        continue;
      }
      try {
        await copyVersion(source, target, version.object);
        const report = reports.get(target.member?.hsmId ?? '');
        if (report) report.Replicated += 1;
      } catch (error) {
        if (isUnreachable(error)) this.connections.dropToken(store.id, target);
        this.fail(reports, target, version, error);
      }
    }
  }

  private fail(reports: Map<string, MemberReport>, token: TokenHandle, version: StoredVersion, error: unknown): void {
    const report = reports.get(token.member?.hsmId ?? '');
    const reason = error instanceof KmsError ? `${error.code}: ${error.message}` : 'unexpected failure';
    report?.Failed.push({ KeyId: version.keyId, KeyVersionId: version.versionId, Reason: reason });
  }

  private *versionsOf(store: KeyStoreRow): Generator<StoredVersion> {
    const { registry } = this.context;
    for (let page = 1; ; page++) {
      const { rows } = registry.keys.list({ filters: [{ key: 'KeyStoreId', values: [store.id] }], pageNumber: page, pageSize: PAGE_SIZE });
      for (const key of rows) {
        const spec = materialSpecOf(key.keySpec);
        for (const version of registry.keyVersions.listByKey(key.id)) {
          yield { keyId: key.id, versionId: version.id, object: { objectId: version.objectId, label: keyObjectLabel(key.id, version.id), spec } };
        }
      }
      if (rows.length < PAGE_SIZE) return;
    }
  }
}
