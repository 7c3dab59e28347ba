import { randomUUID } from 'node:crypto';
import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import type { KeyStoreConnections } from '../keystores/connections';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { objectIdOfVersion } from './key-identifiers';
import { destroyVersionMaterial, generateVersionMaterial } from './key-material';
import type { KeyResolver } from './key-resolver';
import { isSymmetricSpec, rotationIntervalSeconds } from './key-specs';
import { apiDate } from '../api-date';

/** Key versions: new material becomes primary; old versions stay for Decrypt. */
export class KeyVersionService {
  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
    private readonly resolver: KeyResolver,
    private readonly audit: AuditTrail,
  ) {}

  async create(input: ParsedInput<'CreateKeyVersion'>, request: RequestContext): Promise<OperationResult<'CreateKeyVersion'>> {
    return { KeyVersion: await this.rotate(this.resolver.resolve(input.KeyId), request, 'CreateKeyVersion') };
  }

  list(input: ParsedInput<'ListKeyVersions'>): OperationResult<'ListKeyVersions'> {
    const key = this.resolver.resolve(input.KeyId);
    const versions = this.context.registry.keyVersions.listByKey(key.id).reverse();
    const start = (input.PageNumber - 1) * input.PageSize;
    return {
      KeyVersions: versions
        .slice(start, start + input.PageSize)
        .map((version) => ({ KeyId: key.id, KeyVersionId: version.id, CreationDate: apiDate(version.createdAt) })),
      TotalCount: versions.length,
      PageNumber: input.PageNumber,
      PageSize: input.PageSize,
    };
  }

  /** Generates a version and makes it primary; used by CreateKeyVersion and by automatic rotation. */
  async rotate(key: KeyRow, request: RequestContext, operation: 'CreateKeyVersion' | 'RotateKey'): Promise<{ KeyId: string; KeyVersionId: string; CreationDate: string }> {
    if (key.keyState !== 'Enabled') throw new KmsError('Forbidden.KeyState', `Key ${key.id} is ${key.keyState}; only Enabled keys get new versions.`);
    if (key.origin === 'EXTERNAL') throw new KmsError('UnsupportedOperation', 'Keys with imported material cannot get generated versions.');
    if (key.origin === 'EXTERNAL_KEY_STORE') throw new KmsError('UnsupportedOperation', 'Keys of an external key store get no new versions: the external key is rotated at its proxy.');
    if (!isSymmetricSpec(key.keySpec)) throw new KmsError('UnsupportedOperation', `Only symmetric keys have versions, not ${key.keySpec}.`);
    const store = key.keyStoreId ? this.context.registry.keyStores.get(key.keyStoreId) : null;
    if (!store) throw new KmsError('NotFound.KeyStore', `Key ${key.id} has no key store.`);

    const versionId = randomUUID();
    await generateVersionMaterial({ connections: this.connections, store, keyId: key.id, versionId, keySpec: key.keySpec, request });
    const now = isoNow(this.context);
    try {
      this.audit.recordChange(request, { operation, resourceId: key.id, details: { KeyVersionId: versionId } }, () => {
        const { registry } = this.context;
        // Read again inside the transaction: the key may have changed while the HSM generated.
        const current = this.resolver.resolve(key.id);
        if (current.keyState !== 'Enabled') throw new KmsError('Forbidden.KeyState', `Key ${key.id} became ${current.keyState} meanwhile.`);
        const nextRotationDate =
          current.automaticRotation === 'Enabled' && current.rotationInterval
            ? new Date(Date.parse(now) + rotationIntervalSeconds(current.rotationInterval) * 1000).toISOString()
            : null;
        registry.keyVersions.insert({ id: versionId, keyId: key.id, objectId: objectIdOfVersion(versionId), createdAt: now });
        registry.keys.update(key.id, { primaryVersionId: versionId, lastRotationDate: now, nextRotationDate });
      });
    } catch (error) {
      await destroyVersionMaterial(this.connections, store.id, versionId);
      throw error;
    }
    return { KeyId: key.id, KeyVersionId: versionId, CreationDate: apiDate(now) };
  }
}
