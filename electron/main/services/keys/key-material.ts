import type { KeySpec } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyStoreRow } from '../../registry';
import type { KeyStoreConnections } from '../keystores/connections';
import { generateClusterVersionMaterial } from '../clusters/replication';
import type { RequestContext } from '../request-context';
import { objectIdOfVersion } from './key-identifiers';
import { materialSpecOf } from './key-specs';

/**
 * Generates the HSM objects of one key version in a key store. The one place key material is
 * created, for CreateKey and for CreateKeyVersion / rotation alike.
 */
export async function generateVersionMaterial(args: {
  connections: KeyStoreConnections;
  store: KeyStoreRow;
  keyId: string;
  versionId: string;
  keySpec: KeySpec;
  request: RequestContext | null;
}): Promise<void> {
  const { connections, store, keyId, versionId, keySpec, request } = args;
  // Cluster key stores keep every version on every member HSM.
  if (store.clusterId !== null) return generateClusterVersionMaterial(args);
  const [token] = connections.requireTokens(store.id);
  if (!token) throw new KmsError('Forbidden.KeyStoreState', `Key store ${store.id} has no connected HSM.`);
  request?.progress(null, `Generating ${keySpec} key material in the HSM`);
  const clustered = store.type === 'HSM_CLUSTER';
  await token.client.generateKey({
    serial: token.serial,
    objectId: objectIdOfVersion(versionId),
    // Token labels are short (32 bytes); the CKA_ID is what identifies the object.
    label: `kw-${keyId.slice(0, 13)}-v${versionId.slice(0, 8)}`,
    spec: materialSpecOf(keySpec),
    // Only cluster keys may leave an HSM, and then only wrapped under the trusted domain key.
    policy: { wrapWithTrusted: clustered, extractable: clustered },
  });
}

/** Best-effort removal of a version's objects from every token of the store (cleanup paths). */
export async function destroyVersionMaterial(connections: KeyStoreConnections, keyStoreId: string, versionId: string): Promise<void> {
  for (const token of connections.tokensOf(keyStoreId)) {
    await token.client.destroyKey({ serial: token.serial, objectId: objectIdOfVersion(versionId) }).catch(() => undefined);
  }
}
