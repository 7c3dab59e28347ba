/**
 * Whose is an object on a key store's token? Decided from the registry and Keyward's CKA_ID/label
 * scheme (key-identifiers.ts, cluster-objects.ts) alone, so that only Keyward's own key material
 * can ever be called an orphan: cluster infrastructure and anything that does not carry our
 * labels is never a candidate, whatever its CKA_ID.
 */
import type { TokenObjectInfo } from '../../hsm';
import type { StoredKeyVersionRow } from '../../registry';
import { AUDIT_ANCHOR_KEY_ID, AUDIT_ANCHOR_LABEL } from '../audit/anchor-store';
import { AUDIT_SIGNING_KEY_ID } from '../audit/audit-signing-ids';
import { DOMAIN_KEY_LABEL, DOMAIN_KEY_OBJECT_ID, OWNER_KEY_LABEL, OWNER_KEY_OBJECT_ID, transportKeyObjectId } from '../clusters/cluster-objects';
import { INSTANCE_CA_KEY_ID } from '../access/instance-ca';

/** keyObjectLabel(): `kw-<first 13 chars of the KeyId>-v<first 8 of the version id>`. */
const VERSION_LABEL = /^kw-[0-9a-f]{8}-[0-9a-f]{4}-v([0-9a-f]{8})$/;
/** importKeyLabel(): `kw-imp-<first 13 chars of the KeyId>`. */
const IMPORT_LABEL = /^kw-imp-[0-9a-f]{8}-[0-9a-f]{4}$/;
const TRANSPORT_LABEL_PREFIX = 'kw-transport-';
/** objectIdOfVersion(): 16 bytes of a random UUID. */
const OBJECT_ID = /^[0-9a-f]{32}$/;

export type OrphanKind = 'KEY_VERSION' | 'IMPORT_WRAPPING_KEY';

export type ObjectOwner =
  | { kind: 'REGISTERED' }
  | { kind: 'INFRASTRUCTURE' }
  | { kind: 'FOREIGN' }
  | { kind: 'ORPHAN'; orphanKind: OrphanKind; reason: string };

/** What the registry says about a key store, read once per reconciliation. */
export interface RegistryView {
  versionsByObjectId: ReadonlyMap<string, StoredKeyVersionRow>;
  liveImportObjectIds: ReadonlySet<string>;
  infrastructureObjectIds: ReadonlySet<string>;
  /** Material being generated right now (its registry commit is imminent). */
  inCreation(objectId: string): boolean;
}

export function infrastructureObjectIds(memberHsmIds: readonly string[]): Set<string> {
  // The instance CA's key pair and the audit signing key pair live in the default key store's token
  // (services/access/instance-ca.ts, services/audit/audit-signing-key.ts).
  return new Set([DOMAIN_KEY_OBJECT_ID, OWNER_KEY_OBJECT_ID, INSTANCE_CA_KEY_ID, AUDIT_SIGNING_KEY_ID, ...memberHsmIds.map(transportKeyObjectId)]);
}

function isInfrastructure(objectId: string, label: string, view: RegistryView): boolean {
  return (
    view.infrastructureObjectIds.has(objectId) ||
    label === DOMAIN_KEY_LABEL ||
    label === OWNER_KEY_LABEL ||
    label.startsWith(TRANSPORT_LABEL_PREFIX)
  );
}

/**
 * The audit anchor's key and data object in the default key store's token (services/audit/
 * anchor-store.ts). Decided per object: the data object has no CKA_ID, so it shares the '' group
 * with other id-less objects, which must still be judged on their own.
 */
export function isAuditAnchorObject(object: TokenObjectInfo): boolean {
  if (object.label !== AUDIT_ANCHOR_LABEL) return false;
  return object.objectClass === 'OTHER' ? object.objectId === '' : object.objectId === AUDIT_ANCHOR_KEY_ID;
}

/** A candidate label for this CKA_ID: the version label must name the same version as the id. */
function orphanKindOf(objectId: string, label: string): OrphanKind | null {
  if (!OBJECT_ID.test(objectId)) return null;
  const version = VERSION_LABEL.exec(label);
  if (version) return version[1] === objectId.slice(0, 8) ? 'KEY_VERSION' : null;
  return IMPORT_LABEL.test(label) ? 'IMPORT_WRAPPING_KEY' : null;
}

/**
 * Classifies the objects that share one CKA_ID on one token (a key pair is two objects). The group
 * is an orphan only if every object in it carries a candidate label of the same kind.
 */
export function classifyObjectGroup(objectId: string, objects: readonly TokenObjectInfo[], view: RegistryView): ObjectOwner {
  if (objects.some((object) => isInfrastructure(objectId, object.label, view))) return { kind: 'INFRASTRUCTURE' };
  const version = view.versionsByObjectId.get(objectId);
  if ((version && !version.keyDeleted) || view.liveImportObjectIds.has(objectId) || view.inCreation(objectId)) return { kind: 'REGISTERED' };
  const kinds = new Set(objects.map((object) => orphanKindOf(objectId, object.label)));
  const [kind] = kinds;
  if (kinds.size !== 1 || !kind) return { kind: 'FOREIGN' };
  if (kind === 'IMPORT_WRAPPING_KEY') {
    return { kind: 'ORPHAN', orphanKind: kind, reason: 'No outstanding ImportToken uses this wrapping key pair (its import finished, expired or was interrupted).' };
  }
  if (version) {
    return { kind: 'ORPHAN', orphanKind: kind, reason: `Material of key ${version.keyId}, which was deleted: its destruction did not complete.` };
  }
  return {
    kind: 'ORPHAN',
    orphanKind: kind,
    reason: 'No key version in the registry has this CKA_ID: its creation stopped before the registry commit (a crash or a failed request), so it was never acknowledged.',
  };
}

/** Material a registered version must have on a token: its secret key, or its private key. */
export function holdsVersion(objects: readonly TokenObjectInfo[] | undefined): boolean {
  return (objects ?? []).some((object) => object.objectClass === 'SECRET_KEY' || object.objectClass === 'PRIVATE_KEY');
}

/** Versions whose objects every token must hold: not of deleted keys, not awaiting (re)import. */
export function expectsMaterial(version: StoredKeyVersionRow): boolean {
  return !version.keyDeleted && version.keyState !== 'PendingImport';
}
