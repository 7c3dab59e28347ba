/**
 * CMK replication between the members of a cluster key store. A key version is generated inside
 * one member (CKA_WRAP_WITH_TRUSTED, so only a trusted key can ever wrap it) and copied to every
 * other connected member, never leaving an HSM in plaintext:
 * - local members that both offer AES key wrap: wrapped under the cluster domain key;
 * - otherwise (a network member behind p11-kit 0.24, which forwards no AES key wrap): secret keys
 *   wrapped with RSA-OAEP under the receiving member's transport key, which every other member
 *   holds as a trusted wrapping key; private keys cannot travel that way and are refused up front.
 */
import type { KeySpec } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { HsmToken, KeyMaterialSpec, KeyPolicy, WrapMechanism } from '../../hsm';
import type { KeyStoreRow } from '../../registry';
import { objectIdOfVersion } from '../keys/key-identifiers';
import type { VersionMaterialArgs } from '../keys/key-material-types';
import { materialSpecOf } from '../keys/key-specs';
import { isUnreachable, type KeyStoreConnections, type TokenHandle, type TokenMember } from '../keystores/connections';
import type { RequestContext } from '../request-context';
import { DOMAIN_KEY_OBJECT_ID, keyObjectLabel, transportKeyObjectId } from './cluster-objects';

/** Cluster keys may leave an HSM, and then only wrapped under a trusted key. */
export const CLUSTER_KEY_POLICY: KeyPolicy = { wrapWithTrusted: true, extractable: true };

export interface VersionObject {
  objectId: string;
  label: string;
  spec: KeyMaterialSpec;
}

function isSecret(spec: KeyMaterialSpec): boolean {
  return spec.kind === 'AES' || spec.kind === 'HMAC';
}

/** How a key of this spec travels from `source` to `target`, or why it cannot. */
export function transferMechanism(
  spec: KeyMaterialSpec,
  source: TokenMember,
  target: TokenMember,
): { mechanism: WrapMechanism; wrappingObjectId: string } | { refusal: string } {
  if (spec.kind === 'ED25519') {
    return {
      refusal: `Ed25519 private keys are not replicated between HSMs ${source.hsmId} and ${target.hsmId}: tokens refuse to wrap them (SoftHSM2 2.6 answers CKR_KEY_NOT_WRAPPABLE). Use the default key store or a single-HSM cluster.`,
    };
  }
  if (source.aesKeyWrap && target.aesKeyWrap) return { mechanism: 'AES_KEY_WRAP_PAD', wrappingObjectId: DOMAIN_KEY_OBJECT_ID };
  if (isSecret(spec)) return { mechanism: 'RSA_OAEP_SHA1', wrappingObjectId: transportKeyObjectId(target.hsmId) };
  const hop = [source, target].find((member) => !member.aesKeyWrap) ?? target;
  return {
    refusal: `${spec.kind} private keys cannot be replicated to or from HSM ${hop.hsmId} (module ${hop.moduleName}): it offers no AES key wrap${hop.network ? ' (p11-kit-client 0.24 does not forward it)' : ''}, and RSA-OAEP carries secret keys only.`,
  };
}

/** Refuses a key spec some member of the store could never hold. */
export function requireReplicable(spec: KeyMaterialSpec, keySpec: KeySpec, members: readonly TokenMember[]): void {
  if (isSecret(spec)) return;
  for (const target of members) {
    for (const source of members) {
      if (source === target) continue;
      const transfer = transferMechanism(spec, source, target);
      if ('refusal' in transfer) throw new KmsError('UnsupportedOperation', `${keySpec} keys cannot live in this cluster key store. ${transfer.refusal}`);
    }
  }
}

function answers(token: TokenHandle): Promise<boolean> {
  return token.hsm.isLoggedIn().then(
    () => true,
    () => false,
  );
}

/** What a token holds of one key version, judged by the version's check value inside the HSM. */
export type CopyCheck =
  | { state: 'missing' }
  /** Objects under the version's CKA_ID whose check fails: material never written, half a pair, a broken pair. */
  | { state: 'damaged'; reason: string }
  | { state: 'sound'; value: string }
  /** The token cannot compute a check value for this key (it does not offer the mechanism): presence only. */
  | { state: 'unverifiable' };

/** Inspects `token`'s copy of a version; an unreachable token is thrown, not judged. */
export async function inspectCopy(token: HsmToken, objectId: string): Promise<CopyCheck> {
  try {
    const value = await token.keyCheckValue({ objectId });
    return { state: 'sound', value: value.toString('hex') };
  } catch (error) {
    if (isUnreachable(error)) throw error;
    if (!(error instanceof KmsError)) return { state: 'damaged', reason: 'unexpected failure' };
    if (error.code === 'HsmError.ObjectNotFound') return { state: 'missing' };
    if (error.code === 'UnsupportedOperation') return { state: 'unverifiable' };
    return { state: 'damaged', reason: `${error.code}: ${error.message}` };
  }
}

function memberName(token: TokenHandle): string {
  return `HSM ${token.member?.hsmId ?? token.hsm.serial}`;
}

/**
 * Copies one key version object from `source` into `target` (both logged in), then compares the
 * copy's check value with the source's (`expected`: the caller computes it once per version, and
 * only when a copy was made): a copy that differs is destroyed again and the copy fails.
 */
export async function copyVersion(
  source: TokenHandle,
  target: TokenHandle,
  object: VersionObject,
  expected: () => Promise<CopyCheck>,
): Promise<void> {
  if (!source.member || !target.member) throw new KmsError('InternalFailure', 'Replication needs cluster member tokens.');
  const transfer = transferMechanism(object.spec, source.member, target.member);
  if ('refusal' in transfer) throw new KmsError('UnsupportedOperation', transfer.refusal);
  const wrapped = await source.hsm.wrapKey({
    wrappingObjectId: transfer.wrappingObjectId,
    objectId: object.objectId,
    mechanism: transfer.mechanism,
  });
  await target.hsm.unwrapKey({
    unwrappingObjectId: transfer.wrappingObjectId,
    mechanism: transfer.mechanism,
    wrapped,
    objectId: object.objectId,
    label: object.label,
    spec: object.spec,
    policy: CLUSTER_KEY_POLICY,
  });
  if (!isSecret(object.spec)) {
    const material = await source.hsm.getPublicKey({ objectId: object.objectId });
    await target.hsm.createPublicKey({ objectId: object.objectId, label: object.label, spec: object.spec, material });
  }
  const [original, copy] = await Promise.all([expected(), inspectCopy(target.hsm, object.objectId)]);
  if (original.state === 'unverifiable' || copy.state === 'unverifiable') return;
  if (original.state === 'sound' && copy.state === 'sound' && original.value === copy.value) return;
  await target.hsm.destroyKey({ objectId: object.objectId }).catch(() => undefined);
  const problem =
    original.state !== 'sound'
      ? `the source copy on ${memberName(source)} fails its check (${original.state === 'damaged' ? original.reason : 'missing'})`
      : copy.state === 'sound'
        ? 'its check value differs from the source copy'
        : `its check fails (${copy.state === 'damaged' ? copy.reason : 'missing'})`;
  throw new KmsError('HsmError.Generic', `The copy of key version object ${object.objectId} on ${memberName(target)} was rejected: ${problem}.`);
}

/**
 * Generates a key version inside one connected member and replicates it to the others. A member
 * that turns out unreachable is dropped from the connection (the cluster becomes DEGRADED) and
 * gets the key from SyncCluster later; any other failure removes the version everywhere.
 */
export async function generateClusterVersionMaterial(args: VersionMaterialArgs): Promise<void> {
  const { connections, store, keyId, versionId, keySpec, request } = args;
  const spec = materialSpecOf(keySpec);
  requireReplicable(spec, keySpec, connections.membersOf(store.id));
  const object: VersionObject = { objectId: objectIdOfVersion(versionId), label: keyObjectLabel(keyId, versionId), spec };
  request?.progress(null, `Generating ${keySpec} key material in the HSM cluster`);
  // No failover to another member under the same CKA_ID: a member that stopped answering in the
  // middle of C_GenerateKey may have made the object, and a second generation elsewhere would give
  // the members different material for one version. The call fails; the next one uses the others.
  const [source] = connections.requireTokens(store.id);
  if (!source) throw new KmsError('Forbidden.KeyStoreState', `Key store ${store.id} has no connected HSM.`);
  try {
    await source.hsm.generateKey({ objectId: object.objectId, label: object.label, spec, policy: CLUSTER_KEY_POLICY });
  } catch (error) {
    if (isUnreachable(error)) connections.dropToken(store.id, source);
    throw error;
  }
  await replicateFromSource({ connections, store, source, object, request });
}

/**
 * Copies a version that exists on `source` (generated or imported there) to every other connected
 * member. An unreachable member is dropped (it catches up at SyncCluster); any other failure
 * removes the version from every member and is thrown.
 */
export async function replicateFromSource(args: {
  connections: KeyStoreConnections;
  store: KeyStoreRow;
  source: TokenHandle;
  object: VersionObject;
  request: RequestContext | null;
}): Promise<void> {
  const { connections, store, source, object, request } = args;
  const created: TokenHandle[] = [source];
  let sourceCheck: Promise<CopyCheck> | null = null;
  const expected = (): Promise<CopyCheck> => (sourceCheck ??= inspectCopy(source.hsm, object.objectId));
  for (const target of connections.tokensOf(store.id)) {
    if (target === source) continue;
    request?.progress(null, `Replicating the key to ${memberName(target)}`);
    try {
      await copyVersion(source, target, object, expected);
      created.push(target);
    } catch (error) {
      // Which side went away? Only a lost target may be left behind (SyncCluster fills it in later);
      // a lost source means the version would exist on an unreachable member only: give up cleanly.
      if (isUnreachable(error) && (await answers(source))) {
        connections.dropToken(store.id, target);
        continue;
      }
      if (isUnreachable(error)) connections.dropToken(store.id, source);
      await Promise.allSettled(created.map((token) => token.hsm.destroyKey({ objectId: object.objectId })));
      // A half-created object on the target (public half missing) must not stay either.
      await target.hsm.destroyKey({ objectId: object.objectId }).catch(() => undefined);
      throw error;
    }
  }
}
