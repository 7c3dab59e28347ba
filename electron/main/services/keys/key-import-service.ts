import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  IMPORT_TOKEN_LIFETIME_HOURS,
  RSA_WRAPPED_KEY_BYTES,
  wrappingAlgorithmsFor,
  type OperationResult,
  type ParsedInput,
  type WrappingAlgorithm,
} from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { publicKeyToSpki } from '../../hsm';
import type { KeyRow, KeyStoreRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import type { KeyStoreConnections } from '../keystores/connections';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { objectIdOfVersion } from './key-identifiers';
import { destroyObjectsBestEffort, destroyObjectsEverywhere, generateImportKeyPair, unwrapImportedMaterial } from './key-material';
import type { KeyResolver } from './key-resolver';
import { requireReplicable } from '../clusters/replication';
import { isImportableSpec, materialSpecOf } from './key-specs';
import { TokenCapabilities } from './token-capabilities';
import { apiDate } from '../api-date';

const HOUR_MS = 3_600_000;

function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Bring-your-own-key: GetParametersForImport hands out the public half of an unwrap-only key pair
 * generated in the HSM plus a single-use ImportToken; ImportKeyMaterial unwraps inside the HSM, so
 * the plaintext material never exists in this process. Only the token's hash is stored. Secret keys
 * come as RSAES_* (one RSA-OAEP block), key pairs as RSA_AES_KEY_WRAP_* (an RSA-OAEP wrapped AES
 * key, then the PKCS#8 private key under it); a key pair becomes Enabled only after its public half
 * was derived and the pair signed and verified inside the HSM.
 */
export class KeyImportService {
  private readonly capabilities = new TokenCapabilities();

  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
    private readonly resolver: KeyResolver,
    private readonly audit: AuditTrail,
  ) {}

  async getParameters(input: ParsedInput<'GetParametersForImport'>, request: RequestContext): Promise<OperationResult<'GetParametersForImport'>> {
    const key = this.externalKey(input.KeyId, 'GetParametersForImport');
    requireState(key, 'PendingImport', 'GetParametersForImport');
    const store = this.store(key);
    const family = wrappingAlgorithmsFor(key.keySpec);
    const algorithm = input.WrappingAlgorithm ?? family[0] ?? 'RSAES_OAEP_SHA_1';
    if (!family.includes(algorithm)) {
      throw new KmsError(
        'InvalidParameter',
        `WrappingAlgorithm ${algorithm} does not carry ${key.keySpec} material: use ${family.join(' or ')} (RSAES_* wrap AES and HMAC keys, RSA_AES_KEY_WRAP_* the PKCS#8 private keys of RSA and EC key pairs).`,
      );
    }
    // A private key that could not reach every member of a cluster store is refused before anything is made.
    if (store.clusterId !== null) requireReplicable(materialSpecOf(key.keySpec), key.keySpec, this.connections.membersOf(store.id));
    const objectId = objectIdOfVersion(randomUUID());
    request.progress(null, 'Generating the RSA-2048 wrapping key pair in the HSM');
    const { publicKey } = await generateImportKeyPair(this.connections, store, key.id, objectId, (token) =>
      this.capabilities.requireAlgorithm(token, algorithm, family, 'GetParametersForImport'),
    );
    const importToken = randomBytes(32).toString('base64url');
    const now = this.context.now();
    const expiresAt = new Date(now.getTime() + IMPORT_TOKEN_LIFETIME_HOURS * HOUR_MS).toISOString();
    try {
      this.audit.recordChange(
        request,
        { operation: 'GetParametersForImport', resourceId: key.id, details: { WrappingAlgorithm: algorithm, TokenExpireTime: expiresAt } },
        () => {
          this.context.registry.importTokens.insert({
            tokenHash: tokenHash(importToken),
            keyId: key.id,
            keyStoreId: store.id,
            wrappingObjectId: objectId,
            wrappingAlgorithm: algorithm,
            createdAt: now.toISOString(),
            expiresAt,
          });
        },
      );
    } catch (error) {
      await destroyObjectsBestEffort(this.connections, store.id, objectId);
      throw error;
    }
    return { KeyId: key.id, ImportToken: importToken, PublicKey: publicKeyToSpki(publicKey).toString('base64'), TokenExpireTime: apiDate(expiresAt) };
  }

  async importMaterial(input: ParsedInput<'ImportKeyMaterial'>, request: RequestContext): Promise<OperationResult<'ImportKeyMaterial'>> {
    const key = this.externalKey(input.KeyId, 'ImportKeyMaterial');
    requireState(key, 'PendingImport', 'ImportKeyMaterial');
    const hash = tokenHash(input.ImportToken);
    const parameters = this.context.registry.importTokens.getByHash(hash);
    if (!parameters || parameters.keyId !== key.id) {
      throw new KmsError('InvalidImportToken', `The ImportToken was not issued for key ${key.id} or was already used.`);
    }
    const now = isoNow(this.context);
    if (parameters.expiresAt <= now) throw new KmsError('ExpiredImportToken', `The ImportToken expired at ${parameters.expiresAt}.`);
    const materialExpireTime = input.KeyMaterialExpireUnix ? new Date(input.KeyMaterialExpireUnix * 1000).toISOString() : null;
    if (materialExpireTime !== null && materialExpireTime <= now) {
      throw new KmsError('InvalidParameter', 'KeyMaterialExpireUnix lies in the past.');
    }
    const wrapped = Buffer.from(input.EncryptedKeyMaterial, 'base64');
    requireMaterialSize(wrapped, parameters.wrappingAlgorithm);
    const store = this.store(key);

    // Re-importing after DeleteKeyMaterial or expiry reuses the last version, so ciphertext made
    // before stays decryptable when the same material comes back (other material fails GCM auth),
    // and a key pair's version keeps its id for the public key that was handed out.
    const previous = this.context.registry.keyVersions.listByKey(key.id).at(-1);
    const versionId = previous?.id ?? randomUUID();
    await unwrapImportedMaterial({
      connections: this.connections,
      store,
      keyId: key.id,
      versionId,
      keySpec: key.keySpec,
      importObjectId: parameters.wrappingObjectId,
      wrapped,
      request,
    });
    try {
      this.audit.recordChange(
        request,
        { operation: 'ImportKeyMaterial', resourceId: key.id, details: { KeyVersionId: versionId, MaterialExpireTime: materialExpireTime ?? '' } },
        () => {
          const { registry } = this.context;
          // The key may have changed while the HSM worked (another window, the CLI).
          const current = registry.keys.get(key.id);
          if (!current || current.deletedAt !== null || current.keyState !== 'PendingImport') {
            throw new KmsError('Forbidden.KeyState', `Key ${key.id} changed state during the import.`);
          }
          if (!registry.importTokens.delete(hash)) throw new KmsError('InvalidImportToken', 'The ImportToken was already used.');
          if (!previous) registry.keyVersions.insert({ id: versionId, keyId: key.id, objectId: objectIdOfVersion(versionId), createdAt: now });
          registry.keys.update(key.id, { keyState: 'Enabled', primaryVersionId: versionId, materialExpireTime });
        },
      );
    } catch (error) {
      await destroyObjectsBestEffort(this.connections, store.id, objectIdOfVersion(versionId));
      throw error;
    }
    // The token is single-use: its wrapping key pair has done its job.
    await destroyObjectsBestEffort(this.connections, store.id, parameters.wrappingObjectId);
    return { KeyId: key.id, KeyState: 'Enabled', MaterialExpireTime: apiDate(materialExpireTime) };
  }

  async deleteMaterial(input: ParsedInput<'DeleteKeyMaterial'>, request: RequestContext): Promise<OperationResult<'DeleteKeyMaterial'>> {
    const key = this.externalKey(input.KeyId, 'DeleteKeyMaterial');
    if (key.keyState !== 'Enabled' && key.keyState !== 'Disabled') {
      throw new KmsError('Forbidden.KeyState', `Key ${key.id} is ${key.keyState}; only Enabled or Disabled keys have material to delete.`);
    }
    await this.removeMaterial(key, request, 'DeleteKeyMaterial', {});
    return { KeyId: key.id, KeyState: 'PendingImport' };
  }

  /**
   * Destroys the imported material on every HSM of the store, then returns the key to
   * PendingImport (DeleteKeyMaterial, or expiry of the material).
   */
  async removeMaterial(key: KeyRow, request: RequestContext, operation: 'DeleteKeyMaterial' | 'ExpireKeyMaterial', details: Record<string, string>): Promise<void> {
    const { registry } = this.context;
    for (const version of registry.keyVersions.listByKey(key.id)) {
      await destroyObjectsEverywhere(this.connections, this.store(key).id, version.objectId);
    }
    this.audit.recordChange(request, { operation, resourceId: key.id, details: { From: key.keyState, To: 'PendingImport', ...details } }, () => {
      registry.keys.update(key.id, { keyState: 'PendingImport', primaryVersionId: null, materialExpireTime: null });
    });
  }

  /** Drops ImportTokens past their expiry together with their wrapping key pairs. */
  async removeExpiredTokens(request: RequestContext): Promise<number> {
    const { registry } = this.context;
    let removed = 0;
    for (const row of registry.importTokens.listExpired(isoNow(this.context))) {
      if (this.connections.get(row.keyStoreId).state !== 'CONNECTED') continue;
      await destroyObjectsEverywhere(this.connections, row.keyStoreId, row.wrappingObjectId);
      this.audit.recordChange(request, { operation: 'ExpireImportToken', resourceId: row.keyId, details: { TokenExpireTime: row.expiresAt } }, () => {
        registry.importTokens.delete(row.tokenHash);
      });
      removed += 1;
    }
    return removed;
  }

  private externalKey(identifier: string, operation: string): KeyRow {
    const key = this.resolver.resolve(identifier);
    if (key.origin !== 'EXTERNAL') {
      throw new KmsError('UnsupportedOperation', `${operation}: key ${key.id} has material generated by KMS (Origin Aliyun_KMS), not EXTERNAL.`);
    }
    if (!isImportableSpec(key.keySpec)) {
      throw new KmsError('UnsupportedOperation', `${operation}: ${key.keySpec} material cannot be imported.`);
    }
    return key;
  }

  private store(key: KeyRow): KeyStoreRow {
    const store = key.keyStoreId ? this.context.registry.keyStores.get(key.keyStoreId) : null;
    if (!store) throw new KmsError('NotFound.KeyStore', `Key ${key.id} has no key store.`);
    return store;
  }
}

/** RSAES_*: one RSA-OAEP block; RSA_AES_KEY_WRAP_*: that block, then an AES key wrap (whole 8-byte blocks). */
function requireMaterialSize(wrapped: Buffer, algorithm: WrappingAlgorithm): void {
  const keyPair = algorithm.startsWith('RSA_AES_KEY_WRAP_');
  const aesKeyWrap = wrapped.length - RSA_WRAPPED_KEY_BYTES;
  const fits = keyPair ? aesKeyWrap >= 16 && aesKeyWrap % 8 === 0 : aesKeyWrap === 0;
  if (!fits) {
    throw new KmsError(
      'InvalidParameter',
      keyPair
        ? `EncryptedKeyMaterial for ${algorithm} is the ${RSA_WRAPPED_KEY_BYTES}-byte RSA-OAEP block followed by the AES key wrap of the PKCS#8 private key (whole 8-byte blocks); ${wrapped.length} bytes do not fit.`
        : `EncryptedKeyMaterial for ${algorithm} is exactly ${RSA_WRAPPED_KEY_BYTES} bytes (RSA-OAEP under the 2048-bit wrapping key), not ${wrapped.length}.`,
    );
  }
}

function requireState(key: KeyRow, state: KeyRow['keyState'], operation: string): void {
  if (key.keyState !== state) {
    throw new KmsError('Forbidden.KeyState', `${operation}: key ${key.id} is ${key.keyState}, not ${state}.`);
  }
}
