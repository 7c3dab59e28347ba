/**
 * SyncCluster: probes every member, drops members that stopped answering, logs kmsuser in on
 * members that came back (when the caller gives the password: Keyward keeps none), then copies
 * every key version of the store to each connected member that lacks it or holds a damaged copy
 * (its check value, computed inside the HSM, fails), from one whose copy is sound.
 */
import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyStoreRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import { materialSpecOf } from '../keys/key-specs';
import { isUnreachable, tokenHandle, type KeyStoreConnections, type TokenHandle } from '../keystores/connections';
import { keyStoreSubject, type LoginGuard } from '../keystores/login-guard';
import type { RequestContext } from '../request-context';
import type { ServiceContext } from '../service-context';
import { probeJoinedMembers, tokenMemberOf, type ProbedMember } from './cluster-members';
import { keyObjectLabel } from './cluster-objects';
import { withWorker } from './cluster-key-stores';
import { recordHealth, requireCluster } from './cluster-state';
import { copyVersion, inspectCopy, type CopyCheck, type VersionObject } from './replication';

type MemberReport = OperationResult<'SyncCluster'>['Members'][number];

const PAGE_SIZE = 100;
/** Check values of RSA-4096 copies take a signature each: say how far the sync is. */
const PROGRESS_EVERY = 50;

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
    private readonly loginGuard: LoginGuard,
  ) {}

  async sync(input: ParsedInput<'SyncCluster'>, request: RequestContext): Promise<OperationResult<'SyncCluster'>> {
    const cluster = requireCluster(this.context, input.ClusterId);
    const store = this.context.registry.keyStores.getByClusterId(cluster.id);
    if (!store) throw new KmsError('NotFound.KeyStore', `Cluster ${cluster.id} has no key store to synchronize.`);
    if (this.connections.get(store.id).state !== 'CONNECTED') {
      throw new KmsError('Forbidden.KeyStoreState', `Key store ${store.id} is ${this.connections.get(store.id).state}; connect it first.`);
    }
    const probes = await probeJoinedMembers(this.context, cluster.id);
    const reports = new Map<string, MemberReport>(
      probes.map((probe) => [probe.member.row.id, { HsmId: probe.member.row.id, Health: probe.health, Connected: false, Replicated: 0, Repaired: 0, Failed: [] }]),
    );
    const returned = await this.refreshMembers(store, probes, input.KeyStorePassword, request);

    let checked = 0;
    for (const version of this.versionsOf(store)) {
      await this.syncVersion(store, version, reports);
      checked += 1;
      if (checked % PROGRESS_EVERY === 0) request.progress(null, `${checked} key versions checked on every member`);
    }
    for (const token of this.connections.tokensOf(store.id)) {
      const report = token.member ? reports.get(token.member.hsmId) : undefined;
      if (report) report.Connected = true;
    }

    const members = [...reports.values()];
    const degraded = members.some((member) => member.Health !== 'HEALTHY' || !member.Connected);
    const state = recordHealth(this.context, this.audit, request, 'SyncCluster', cluster.id, degraded);
    const total = (count: (member: MemberReport) => number): number => members.reduce((sum, member) => sum + count(member), 0);
    this.audit.recordEvent(request, {
      operation: 'SyncCluster',
      resourceId: cluster.id,
      details: { Replicated: total((member) => member.Replicated), Repaired: total((member) => member.Repaired), Failed: total((member) => member.Failed.length) },
    });
    // Only now, with the returning members caught up: due deletions waited for every member.
    if (returned > 0) this.connections.announceMembersBack(store.id);
    return { ClusterId: cluster.id, State: state, Members: members };
  }

  /** Connection tokens follow the probe: gone members out, returning members in (with the password); returns how many came back. */
  private async refreshMembers(store: KeyStoreRow, probes: ProbedMember[], password: string | undefined, request: RequestContext): Promise<number> {
    const connected = new Map(this.connections.tokensOf(store.id).map((token) => [token.member?.hsmId ?? '', token]));
    const returning: TokenHandle[] = [];
    for (const probe of probes) {
      const token = connected.get(probe.member.row.id);
      if (probe.health !== 'HEALTHY') {
        if (token) this.connections.dropToken(store.id, token);
        continue;
      }
      if (token && (await token.hsm.isLoggedIn().catch(() => false))) continue;
      if (token) this.connections.dropToken(store.id, token);
      if (password === undefined) continue;
      const fresh = tokenHandle(probe.member.client, probe.member.row.tokenSerial ?? '', { member: tokenMemberOf(probe) });
      // A wrong password is the caller's error; nothing was changed yet. It counts as a failed login.
      await this.loginGuard.attempt(keyStoreSubject(store), request, { operation: 'SyncCluster', resourceId: store.clusterId ?? '' }, async () => {
        // Logging in is idempotent in the hsm layer: log out first so the password is really checked.
        await fresh.hsm.logout().catch(() => undefined);
        await fresh.hsm.login({ userPin: password });
      });
      returning.push(withWorker(fresh));
    }
    this.connections.addTokens(store.id, returning);
    return returning.length;
  }

  /**
   * Inspects every connected member's copy of one version by its check value and fills in the
   * members that lack it or hold a damaged copy, from a member with a sound one. Members whose
   * sound copies disagree are reported and left alone: nothing says which copy is the right one.
   */
  private async syncVersion(store: KeyStoreRow, version: StoredVersion, reports: Map<string, MemberReport>): Promise<void> {
    const { objectId } = version.object;
    const sound: { token: TokenHandle; value: string }[] = [];
    const unverified: TokenHandle[] = [];
    const targets: { token: TokenHandle; damaged: string | null }[] = [];
    for (const token of this.connections.tokensOf(store.id)) {
      try {
        const check = await inspectCopy(token.hsm, objectId);
        if (check.state === 'sound') sound.push({ token, value: check.value });
        else if (check.state === 'unverifiable') unverified.push(token);
        else targets.push({ token, damaged: check.state === 'damaged' ? check.reason : null });
      } catch (error) {
        if (isUnreachable(error)) this.connections.dropToken(store.id, token);
        else this.fail(reports, token, version, error);
      }
    }
    if (new Set(sound.map((copy) => copy.value)).size > 1) {
      const conflict = new KmsError('HsmError.Generic', 'the members hold different material under this key version (their check values differ); nothing was changed');
      for (const copy of sound) this.fail(reports, copy.token, version, conflict);
      return;
    }
    // The source's check value is known from the inspection above: the copies compare with it.
    const [soundCopy] = sound;
    const source = soundCopy?.token ?? unverified[0];
    const sourceCheck: CopyCheck = soundCopy ? { state: 'sound', value: soundCopy.value } : { state: 'unverifiable' };
    for (const { token: target, damaged } of targets) {
      if (!source) {
        // Damaged copies stay when there is nothing sound to replace them with.
        const reason = damaged ? `its copy is damaged (${damaged}) and no connected member holds a sound one` : 'no connected member holds this key version';
        this.fail(reports, target, version, new KmsError('HsmError.ObjectNotFound', reason));
        continue;
      }
      try {
        if (damaged) await target.hsm.destroyKey({ objectId });
        await copyVersion(source, target, version.object, () => Promise.resolve(sourceCheck));
        const report = reports.get(target.member?.hsmId ?? '');
        if (report && damaged) report.Repaired += 1;
        else if (report) report.Replicated += 1;
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
