/**
 * CKA_IDs of the cluster's own objects on every member. CMK versions use the 16 bytes of their
 * random version UUID, so these fixed ids and the per-member transport ids cannot collide with them.
 */
import { randomUUID } from 'node:crypto';

/** The AES-256 cluster domain key (CKA_TRUSTED), the same key on every member. */
export const DOMAIN_KEY_OBJECT_ID = '6b770000000000000000000000000d0e';
export const DOMAIN_KEY_LABEL = 'keyward-cluster-domain-key';
/** The cluster owner key pair (EC P-256), on the first member only; it signs the ClusterOwnerCertificate. */
export const OWNER_KEY_OBJECT_ID = '6b77000000000000000000000000001a';
export const OWNER_KEY_LABEL = 'keyward-cluster-owner';

export function newClusterId(): string {
  return `cluster-${randomUUID()}`;
}

export function newHsmId(): string {
  return `hsm-${randomUUID()}`;
}

/**
 * The transport key of member `hsmId`: its RSA key pair in that member's token, and the same
 * public key imported as a trusted wrapping key into every other member.
 */
export function transportKeyObjectId(hsmId: string): string {
  return hsmId.replace(/^hsm-/, '').replace(/-/g, '');
}

export function transportKeyLabel(hsmId: string): string {
  return `kw-transport-${hsmId.slice(4, 12)}`;
}

/** Token label of a member initialized by InitializeCluster (32 bytes at most). */
export function memberTokenLabel(hsmId: string): string {
  return `kw-${hsmId.slice(4, 20)}`;
}

/** The CKA_LABEL of a CMK version object, the same on every member. */
export function keyObjectLabel(keyId: string, versionId: string): string {
  return `kw-${keyId.slice(0, 13)}-v${versionId.slice(0, 8)}`;
}

/** The CKA_LABEL of the RSA key pair GetParametersForImport creates for a key. */
export function importKeyLabel(keyId: string): string {
  return `kw-imp-${keyId.slice(0, 13)}`;
}
