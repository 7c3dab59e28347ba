import type { KeySpec } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyPolicy, RsaPublicKeyMaterial } from '../../hsm';
import type { KeyStoreRow } from '../../registry';
import type { KeyStoreConnections, TokenHandle } from '../keystores/connections';
import type { RequestContext } from '../request-context';
import { objectIdOfVersion } from './key-identifiers';
import { materialSpecOf } from './key-specs';

/*
 * The one place that creates and destroys key objects in a key store's HSMs. Creation happens on
 * the store's first token; a cluster store replicates the new object to its other members (wrapped
 * under the domain key) after this point. Destruction always covers every token of the store.
 */

/** Only cluster keys may leave an HSM, and then only wrapped under the trusted domain key. */
export function keyPolicyOf(store: KeyStoreRow): KeyPolicy {
  const clustered = store.type === 'HSM_CLUSTER';
  return { wrapWithTrusted: clustered, extractable: clustered };
}

/** Token labels are short (32 bytes); the CKA_ID is what identifies the object. */
function versionLabel(keyId: string, versionId: string): string {
  return `kw-${keyId.slice(0, 13)}-v${versionId.slice(0, 8)}`;
}

function firstToken(connections: KeyStoreConnections, store: KeyStoreRow): TokenHandle {
  const [token] = connections.requireTokens(store.id);
  if (!token) throw new KmsError('Forbidden.KeyStoreState', `Key store ${store.id} has no connected HSM.`);
  return token;
}

/** Generates the HSM objects of one key version, for CreateKey and for CreateKeyVersion / rotation alike. */
export async function generateVersionMaterial(args: {
  connections: KeyStoreConnections;
  store: KeyStoreRow;
  keyId: string;
  versionId: string;
  keySpec: KeySpec;
  request: RequestContext | null;
}): Promise<void> {
  const { connections, store, keyId, versionId, keySpec, request } = args;
  const token = firstToken(connections, store);
  request?.progress(null, `Generating ${keySpec} key material in the HSM`);
  await token.client.generateKey({
    serial: token.serial,
    objectId: objectIdOfVersion(versionId),
    label: versionLabel(keyId, versionId),
    spec: materialSpecOf(keySpec),
    policy: keyPolicyOf(store),
  });
}

/** The unwrap-only RSA-2048 key pair of GetParametersForImport, on the token that will unwrap. */
export async function generateImportKeyPair(
  connections: KeyStoreConnections,
  store: KeyStoreRow,
  keyId: string,
  objectId: string,
): Promise<{ token: TokenHandle; publicKey: RsaPublicKeyMaterial }> {
  const token = firstToken(connections, store);
  const publicKey = await token.client.generateImportKeyPair({ serial: token.serial, objectId, label: `kw-imp-${keyId.slice(0, 13)}` });
  return { token, publicKey };
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
}): Promise<void> {
  const token = firstToken(args.connections, args.store);
  await token.client.unwrapImportedKey({
    serial: token.serial,
    unwrappingObjectId: args.importObjectId,
    wrapped: args.wrapped,
    objectId: objectIdOfVersion(args.versionId),
    label: versionLabel(args.keyId, args.versionId),
    spec: materialSpecOf(args.keySpec),
    policy: keyPolicyOf(args.store),
  });
}

/**
 * Destroys every object with this CKA_ID on every token of the store, and fails if any token
 * cannot be reached or refuses: callers record the destruction only once it really happened.
 */
export async function destroyObjectsEverywhere(connections: KeyStoreConnections, keyStoreId: string, objectId: string): Promise<number> {
  const tokens = connections.requireTokens(keyStoreId);
  const results = await Promise.allSettled(tokens.map((token) => token.client.destroyKey({ serial: token.serial, objectId })));
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
    await token.client.destroyKey({ serial: token.serial, objectId }).catch(() => undefined);
  }
}
