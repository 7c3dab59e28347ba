import type { KeySpec } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyPolicy, RsaPublicKeyMaterial } from '../../hsm';
import type { KeyStoreRow } from '../../registry';
import { importKeyLabel, keyObjectLabel } from '../clusters/cluster-objects';
import { CLUSTER_KEY_POLICY, generateClusterVersionMaterial, replicateFromSource } from '../clusters/replication';
import type { KeyStoreConnections, TokenHandle } from '../keystores/connections';
import type { RequestContext } from '../request-context';
import { objectIdOfVersion } from './key-identifiers';
import type { VersionMaterialArgs } from './key-material-types';
import { materialSpecOf } from './key-specs';

/*
 * The one place that creates and destroys key objects in a key store's HSMs. Creation happens on
 * one token of the store (in a cluster the first member that answers; imports on the member that
 * holds the wrapping key pair); a cluster store replicates the new object to its other members
 * after this point. Destruction always covers every token of the store.
 */

/*
 * CKA_IDs whose objects are being made right now, before their registry row exists. Every caller
 * commits its row synchronously right after the awaited call returns, so releasing an id on the
 * next macrotask (setImmediate) keeps it listed until that commit has happened: ReconcileKeyStore
 * never mistakes material in creation for an orphan. Ids are random UUIDs, unique across cores.
 */
const materialInCreation = new Map<string, number>();

export function isMaterialInCreation(objectId: string): boolean {
  return materialInCreation.has(objectId);
}

async function whileCreating<T>(objectId: string, create: () => Promise<T>): Promise<T> {
  materialInCreation.set(objectId, (materialInCreation.get(objectId) ?? 0) + 1);
  try {
    return await create();
  } finally {
    setImmediate(() => {
      const count = (materialInCreation.get(objectId) ?? 1) - 1;
      if (count > 0) materialInCreation.set(objectId, count);
      else materialInCreation.delete(objectId);
    });
  }
}

/** Only cluster keys may leave an HSM, and then only wrapped under the trusted domain key. */
export function keyPolicyOf(store: KeyStoreRow): KeyPolicy {
  return store.type === 'HSM_CLUSTER' ? CLUSTER_KEY_POLICY : { wrapWithTrusted: false, extractable: false };
}

function firstToken(connections: KeyStoreConnections, store: KeyStoreRow): TokenHandle {
  const [token] = connections.requireTokens(store.id);
  if (!token) throw new KmsError('Forbidden.KeyStoreState', `Key store ${store.id} has no connected HSM.`);
  return token;
}

/** Generates the HSM objects of one key version, for CreateKey and for CreateKeyVersion / rotation alike. */
export async function generateVersionMaterial(args: VersionMaterialArgs): Promise<void> {
  const { connections, store, keyId, versionId, keySpec, request } = args;
  await whileCreating(objectIdOfVersion(versionId), async () => {
    // Cluster key stores keep every version on every member HSM.
    if (store.clusterId !== null) return generateClusterVersionMaterial(args);
    const token = firstToken(connections, store);
    request?.progress(null, `Generating ${keySpec} key material in the HSM`);
    await token.hsm.generateKey({
      objectId: objectIdOfVersion(versionId),
      label: keyObjectLabel(keyId, versionId),
      spec: materialSpecOf(keySpec),
      policy: keyPolicyOf(store),
    });
  });
}

/**
 * The unwrap-only RSA-2048 key pair of GetParametersForImport, on one token of the store that can
 * unwrap with `algorithm` (`check` refuses a token that cannot). In a cluster the first member that
 * answers generates it: an unreachable one is dropped and the next tried, as for crypto calls.
 */
export async function generateImportKeyPair(
  connections: KeyStoreConnections,
  store: KeyStoreRow,
  keyId: string,
  objectId: string,
  check: (token: TokenHandle) => Promise<void>,
): Promise<{ token: TokenHandle; publicKey: RsaPublicKeyMaterial }> {
  return connections.withToken(store.id, {}, async (token) => {
    await check(token);
    const publicKey = await whileCreating(objectId, () =>
      token.hsm.generateImportKeyPair({ objectId, label: importKeyLabel(keyId) }),
    );
    return { token, publicKey };
  });
}

/**
 * The token that holds an import wrapping key pair. In a cluster store the pair exists only on the
 * member that was first when GetParametersForImport ran, and the member order changes when members
 * drop out and come back: look the pair up rather than assume it is on today's first token.
 */
async function tokenHoldingImportKey(connections: KeyStoreConnections, store: KeyStoreRow, objectId: string): Promise<TokenHandle> {
  for (const token of connections.requireTokens(store.id)) {
    // An unreachable member is simply not the one to use; the check below reports the absence.
    if (await token.hsm.keyExists({ objectId }).catch(() => false)) return token;
  }
  throw new KmsError(
    'Forbidden.KeyStoreState',
    `No connected HSM of key store ${store.id} holds the wrapping key pair of this ImportToken: in a cluster, reconnect the member that generated it (SyncCluster with the key store password) or call GetParametersForImport again.`,
  );
}

/** Unwraps imported material into the objects of `versionId` (checked against the key spec inside the HSM). */
export async function unwrapImportedMaterial(args: {
  connections: KeyStoreConnections;
  store: KeyStoreRow;
  keyId: string;
  versionId: string;
  keySpec: KeySpec;
  importObjectId: string;
  wrapped: Buffer;
  request: RequestContext | null;
}): Promise<void> {
  const token = await tokenHoldingImportKey(args.connections, args.store, args.importObjectId);
  const object = { objectId: objectIdOfVersion(args.versionId), label: keyObjectLabel(args.keyId, args.versionId), spec: materialSpecOf(args.keySpec) };
  await whileCreating(object.objectId, () => unwrapAndReplicate(token, object, args));
}

async function unwrapAndReplicate(
  token: TokenHandle,
  object: { objectId: string; label: string; spec: ReturnType<typeof materialSpecOf> },
  args: Parameters<typeof unwrapImportedMaterial>[0],
): Promise<void> {
  await token.hsm.unwrapImportedKey({
    unwrappingObjectId: args.importObjectId,
    wrapped: args.wrapped,
    ...object,
    policy: keyPolicyOf(args.store),
  });
  // Imported material is a version like any other: in a cluster it lives on every member.
  if (args.store.clusterId !== null) {
    await replicateFromSource({ connections: args.connections, store: args.store, source: token, object, request: args.request });
  }
}

/**
 * Destroys every object with this CKA_ID on every token of the store, and fails if any token
 * cannot be reached or refuses: callers record the destruction only once it really happened.
 */
export async function destroyObjectsEverywhere(connections: KeyStoreConnections, keyStoreId: string, objectId: string): Promise<number> {
  const tokens = connections.requireTokens(keyStoreId);
  // A cluster member that is down would keep its copy: wait until every member is back.
  const missing = connections.membersOf(keyStoreId).filter((member) => !tokens.some((token) => token.member?.hsmId === member.hsmId));
  if (missing.length > 0) {
    throw new KmsError(
      'HsmError.DeviceRemoved',
      `HSM ${missing.map((member) => member.hsmId).join(', ')} of key store ${keyStoreId} is not connected; keys are destroyed only when every member can destroy them.`,
    );
  }
  const results = await Promise.allSettled(tokens.map((token) => token.hsm.destroyKey({ objectId })));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
  return results.reduce((sum, result) => sum + (result.status === 'fulfilled' ? result.value.destroyed : 0), 0);
}

/** Best-effort removal of a version's objects from every token of the store (cleanup paths). */
export async function destroyVersionMaterial(connections: KeyStoreConnections, keyStoreId: string, versionId: string): Promise<void> {
  await destroyObjectsBestEffort(connections, keyStoreId, objectIdOfVersion(versionId));
}

export async function destroyObjectsBestEffort(connections: KeyStoreConnections, keyStoreId: string, objectId: string): Promise<void> {
  for (const token of connections.tokensOf(keyStoreId)) {
    await token.hsm.destroyKey({ objectId }).catch(() => undefined);
  }
}
