/**
 * ReconcileKeyStore: lists the objects of every connected token of a key store (each member of a
 * cluster store), compares them with the registry, and on request destroys orphan objects. The
 * registry is the truth: nothing here creates or changes a registry row, and no object that is
 * registered, being created, or not Keyward's own is ever destroyed.
 */
import {
  MAX_RECONCILE_ENTRIES,
  type OperationResult,
  type ParsedInput,
} from '../../../../shared/contract';
import { errorCodeOf, KmsError } from '../../../../shared/errors';
import type { TokenObjectInfo } from '../../hsm';
import type { KeyStoreRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import { isMaterialInCreation } from '../keys/key-material';
import { isUnreachable, type KeyStoreConnections, type TokenHandle } from '../keystores/connections';
import type { RequestContext } from '../request-context';
import type { ServiceContext } from '../service-context';
import { classifyObjectGroup, expectsMaterial, holdsVersion, infrastructureObjectIds, isAuditAnchorObject, type RegistryView } from './object-owners';

type Result = OperationResult<'ReconcileKeyStore'>;
type TokenReport = Result['Tokens'][number];
type OrphanReport = Result['OrphanObjects'][number];
type MissingReport = Result['MissingMaterial'][number];

interface ListedToken {
  token: TokenHandle;
  report: TokenReport;
  /** Objects by CKA_ID. */
  objects: Map<string, TokenObjectInfo[]>;
}

function groupById(objects: readonly TokenObjectInfo[]): Map<string, TokenObjectInfo[]> {
  const groups = new Map<string, TokenObjectInfo[]>();
  for (const object of objects) {
    const group = groups.get(object.objectId);
    if (group) group.push(object);
    else groups.set(object.objectId, [object]);
  }
  return groups;
}

function emptyReport(hsmId: string | null, serial: string | null, note: string | null): TokenReport {
  return { HsmId: hsmId, TokenSerial: serial, Checked: false, Objects: 0, RegisteredObjects: 0, InfrastructureObjects: 0, ForeignObjects: 0, OrphanObjects: 0, Note: note };
}

export class ReconcileService {
  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
    private readonly audit: AuditTrail,
  ) {}

  async reconcile(input: ParsedInput<'ReconcileKeyStore'>, request: RequestContext): Promise<Result> {
    const store = this.context.registry.keyStores.get(input.KeyStoreId);
    if (!store) throw new KmsError('NotFound.KeyStore', `Key store ${input.KeyStoreId} does not exist.`);
    const tokens = this.connections.requireTokens(store.id);
    request.progress(null, `Listing the objects of ${tokens.length} HSM token(s)`);
    const { listed, unchecked } = await this.listTokens(store, tokens);
    const view = this.registryView(store);

    const orphans: Array<OrphanReport & { token: TokenHandle }> = [];
    for (const { token, report, objects } of listed) {
      const unreadable = [...objects.values()].flat().filter((object) => object.unreadable).length;
      if (unreadable > 0) {
        const note = `${unreadable} object${unreadable === 1 ? '' : 's'} without readable attributes (created, never completed: a crash or a lost HSM connection in the middle of C_GenerateKey or C_UnwrapKey). Without a CKA_ID or label nothing proves they are Keyward's, so they count as foreign and are never removed; the HSM vendor's tools can delete them.`;
        report.Note = report.Note ? `${report.Note} ${note}` : note;
      }
      for (const [objectId, listedGroup] of objects) {
        report.Objects += listedGroup.length;
        // Keyward's own audit anchor: infrastructure, never an orphan, never foreign.
        const group = listedGroup.filter((object) => !isAuditAnchorObject(object));
        report.InfrastructureObjects += listedGroup.length - group.length;
        if (group.length === 0) continue;
        const owner = classifyObjectGroup(objectId, group, view);
        if (owner.kind === 'REGISTERED') report.RegisteredObjects += group.length;
        else if (owner.kind === 'INFRASTRUCTURE') report.InfrastructureObjects += group.length;
        else if (owner.kind === 'FOREIGN') report.ForeignObjects += group.length;
        else {
          report.OrphanObjects += group.length;
          orphans.push({
            token,
            HsmId: report.HsmId,
            TokenSerial: token.hsm.serial,
            ObjectId: objectId,
            Label: group[0]?.label ?? '',
            ObjectClasses: group.map((object) => object.objectClass),
            Kind: owner.orphanKind,
            Reason: owner.reason,
            Removed: false,
          });
        }
      }
    }
    const missing = this.missingMaterial(view, listed, unchecked.length > 0);
    const removed = input.Action === 'REMOVE_ORPHAN_OBJECTS' ? await this.removeOrphans(store, orphans) : 0;

    const summary: Result['Summary'] = {
      TokensChecked: listed.length,
      TokensNotChecked: unchecked.length,
      KeyVersionsChecked: [...view.versionsByObjectId.values()].filter(expectsMaterial).length,
      OrphanObjects: orphans.length,
      RemovedObjects: removed,
      IncompleteVersions: missing.filter((entry) => entry.PresentOn > 0).length,
      LostVersions: missing.filter((entry) => entry.PresentOn === 0).length,
      Truncated: orphans.length > MAX_RECONCILE_ENTRIES || missing.length > MAX_RECONCILE_ENTRIES,
    };
    this.recordAudit(request, store, input.Action, summary, orphans);
    return {
      KeyStoreId: store.id,
      Action: input.Action,
      Tokens: [...listed.map((entry) => entry.report), ...unchecked],
      OrphanObjects: orphans.slice(0, MAX_RECONCILE_ENTRIES).map(({ token: _token, ...orphan }) => orphan),
      MissingMaterial: missing.slice(0, MAX_RECONCILE_ENTRIES),
      Summary: summary,
    };
  }

  /** Lists every connected token; a cluster member that stopped answering is dropped and reported unchecked. */
  private async listTokens(store: KeyStoreRow, tokens: readonly TokenHandle[]): Promise<{ listed: ListedToken[]; unchecked: TokenReport[] }> {
    const listed: ListedToken[] = [];
    const unchecked: TokenReport[] = [];
    for (const token of tokens) {
      const hsmId = token.member?.hsmId ?? null;
      try {
        const objects = await token.hsm.listObjects();
        listed.push({ token, report: { ...emptyReport(hsmId, token.hsm.serial, null), Checked: true }, objects: groupById(objects) });
      } catch (error) {
        if (!token.member || !isUnreachable(error)) throw error;
        this.connections.dropToken(store.id, token);
        unchecked.push(emptyReport(hsmId, token.hsm.serial, `Not checked: the HSM stopped answering (${errorCodeOf(error) ?? 'InternalFailure'}).`));
      }
    }
    if (store.clusterId !== null) {
      const seen = new Set([...listed.map((entry) => entry.report.HsmId), ...unchecked.map((entry) => entry.HsmId)]);
      for (const hsm of this.context.registry.hsms.listByCluster(store.clusterId)) {
        // A member that has not joined holds none of the store's objects.
        if (seen.has(hsm.id) || hsm.state !== 'INITIALIZED') continue;
        unchecked.push(emptyReport(hsm.id, hsm.tokenSerial, 'Not checked: the member is not connected (SyncCluster with the key store password logs it in again).'));
      }
    }
    if (listed.length === 0) throw new KmsError('HsmError.DeviceError', `No HSM of key store ${store.id} answered.`);
    return { listed, unchecked };
  }

  private registryView(store: KeyStoreRow): RegistryView {
    const { registry } = this.context;
    const members = store.clusterId !== null ? registry.hsms.listByCluster(store.clusterId).map((hsm) => hsm.id) : [];
    return {
      versionsByObjectId: new Map(registry.keyVersions.listByKeyStore(store.id).map((version) => [version.objectId, version])),
      liveImportObjectIds: new Set(registry.importTokens.listByKeyStore(store.id).map((row) => row.wrappingObjectId)),
      infrastructureObjectIds: infrastructureObjectIds(members),
      inCreation: isMaterialInCreation,
    };
  }

  private missingMaterial(view: RegistryView, listed: readonly ListedToken[], someUnchecked: boolean): MissingReport[] {
    const reports: MissingReport[] = [];
    for (const version of view.versionsByObjectId.values()) {
      if (!expectsMaterial(version)) continue;
      const lacking = listed.filter((entry) => !holdsVersion(entry.objects.get(version.objectId)));
      if (lacking.length === 0) continue;
      const presentOn = listed.length - lacking.length;
      reports.push({
        KeyId: version.keyId,
        KeyVersionId: version.id,
        KeyState: version.keyState,
        MissingOn: lacking.map((entry) => ({ HsmId: entry.report.HsmId, TokenSerial: entry.token.hsm.serial })),
        PresentOn: presentOn,
        Remedy: remedyFor(version.keyState, presentOn, someUnchecked),
      });
    }
    return reports;
  }

  /**
   * Destroys orphans one CKA_ID at a time, asking the registry again right before each: a row
   * committed since the listing (or material being created now) keeps its objects.
   */
  private async removeOrphans(store: KeyStoreRow, orphans: Array<OrphanReport & { token: TokenHandle }>): Promise<number> {
    let removed = 0;
    for (const orphan of orphans) {
      if (this.registeredNow(store, orphan.ObjectId)) {
        orphan.Reason = 'Registered meanwhile: kept.';
        continue;
      }
      try {
        const { destroyed } = await orphan.token.hsm.destroyKey({ objectId: orphan.ObjectId });
        orphan.Removed = destroyed > 0;
        if (orphan.Removed) removed += 1;
      } catch (error) {
        if (isUnreachable(error) && orphan.token.member) this.connections.dropToken(store.id, orphan.token);
        orphan.Reason = `${orphan.Reason} Not removed: ${errorCodeOf(error) ?? 'unexpected failure'}.`;
      }
    }
    return removed;
  }

  private registeredNow(store: KeyStoreRow, objectId: string): boolean {
    const { registry } = this.context;
    if (isMaterialInCreation(objectId)) return true;
    const version = registry.keyVersions.getByObjectId(objectId);
    if (version && registry.keys.get(version.keyId)?.deletedAt === null) return true;
    return registry.importTokens.listByKeyStore(store.id).some((row) => row.wrappingObjectId === objectId);
  }

  private recordAudit(
    request: RequestContext,
    store: KeyStoreRow,
    action: Result['Action'],
    summary: Result['Summary'],
    orphans: readonly OrphanReport[],
  ): void {
    const details = {
      Action: action,
      TokensChecked: summary.TokensChecked,
      TokensNotChecked: summary.TokensNotChecked,
      OrphanObjects: summary.OrphanObjects,
      RemovedObjects: summary.RemovedObjects,
      IncompleteVersions: summary.IncompleteVersions,
      LostVersions: summary.LostVersions,
      // Which objects went, for the record (bounded: the count above is complete).
      RemovedObjectIds: orphans
        .filter((orphan) => orphan.Removed)
        .slice(0, 100)
        .map((orphan) => `${orphan.TokenSerial}/${orphan.ObjectId}`)
        .join(' '),
    };
    // No registry row changes: the destruction happened in the HSM, this records it durably.
    this.audit.recordEvent(request, { operation: 'ReconcileKeyStore', resourceId: store.id, details });
  }
}

function remedyFor(keyState: string, presentOn: number, someUnchecked: boolean): string {
  if (presentOn > 0) return 'Another HSM of the cluster holds this version: SyncCluster copies it to the members that lack it.';
  if (someUnchecked) return 'No checked HSM holds this version: connect the remaining members (SyncCluster with the key store password) and reconcile again.';
  if (keyState === 'PendingDeletion') return 'The key is pending deletion and its material is already gone; the deletion completes as scheduled.';
  return 'The material is lost: data protected by this version can no longer be decrypted or verified. Keyward never removes the key by itself; disable it or schedule its deletion.';
}
