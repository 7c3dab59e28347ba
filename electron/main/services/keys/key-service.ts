import { randomUUID } from 'node:crypto';
import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyRow, KeyStoreRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import type { KeyStoreConnections } from '../keystores/connections';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { objectIdOfVersion } from './key-identifiers';
import { toKeyListEntry, toKeyMetadata, type ArnScope } from './key-metadata';
import type { KeyResolver } from './key-resolver';
import { destroyVersionMaterial, generateVersionMaterial } from './key-material';
import { isImportableSpec, isSymmetricSpec, resolveUsage, rotationIntervalSeconds } from './key-specs';

const DEFAULT_ROTATION_INTERVAL = '365d';

export class KeyService {
  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
    private readonly resolver: KeyResolver,
    private readonly audit: AuditTrail,
    private readonly scope: ArnScope,
  ) {}

  async create(input: ParsedInput<'CreateKey'>, request: RequestContext): Promise<OperationResult<'CreateKey'>> {
    const { registry } = this.context;
    const store = this.targetStore(input.KeyStoreId);
    if (input.ProtectionLevel && input.ProtectionLevel !== store.protectionLevel) {
      throw new KmsError(
        'InvalidParameter',
        `Key store ${store.id} provides ${store.protectionLevel} protection, not ${input.ProtectionLevel}.`,
      );
    }
    const usage = resolveUsage(input.KeySpec, input.KeyUsage);
    if (input.Origin === 'EXTERNAL' && !isImportableSpec(input.KeySpec)) {
      throw new KmsError('UnsupportedOperation', `Origin EXTERNAL is available for AES and HMAC keys only, not ${input.KeySpec}: RSA-OAEP import wrapping carries secret keys only.`);
    }
    const rotation = this.rotationSettings(input);
    const now = isoNow(this.context);
    const keyId = randomUUID();
    const external = input.Origin === 'EXTERNAL';
    const versionId = external ? null : randomUUID();

    if (versionId) {
      await generateVersionMaterial({ connections: this.connections, store, keyId, versionId, keySpec: input.KeySpec, request });
    }

    const row: KeyRow = {
      id: keyId,
      description: input.Description,
      keySpec: input.KeySpec,
      keyUsage: usage,
      origin: input.Origin,
      protectionLevel: store.protectionLevel,
      keyStoreId: store.id,
      keyState: external ? 'PendingImport' : 'Enabled',
      creator: request.actor,
      createdAt: now,
      deleteDate: null,
      materialExpireTime: null,
      primaryVersionId: versionId,
      automaticRotation: rotation ? 'Enabled' : 'Disabled',
      rotationInterval: rotation?.interval ?? null,
      nextRotationDate: rotation ? new Date(Date.parse(now) + rotation.seconds * 1000).toISOString() : null,
      lastRotationDate: null,
      deletedAt: null,
    };
    try {
      this.audit.recordChange(
        request,
        { operation: 'CreateKey', resourceId: keyId, details: { KeySpec: input.KeySpec, KeyUsage: usage, Origin: input.Origin, KeyStoreId: store.id } },
        () => {
          registry.keys.insert(row);
          if (versionId) registry.keyVersions.insert({ id: versionId, keyId, objectId: objectIdOfVersion(versionId), createdAt: now });
        },
      );
    } catch (error) {
      // The registry refused the key: leave no orphan object on the token.
      if (versionId) await destroyVersionMaterial(this.connections, store.id, versionId);
      throw error;
    }
    return { KeyMetadata: toKeyMetadata(row, this.scope) };
  }

  describe(input: ParsedInput<'DescribeKey'>): OperationResult<'DescribeKey'> {
    return { KeyMetadata: toKeyMetadata(this.resolver.resolve(input.KeyId), this.scope) };
  }

  list(input: ParsedInput<'ListKeys'>): OperationResult<'ListKeys'> {
    const page = this.context.registry.keys.list({
      filters: input.Filters.map((filter) => ({ key: filter.Key, values: filter.Values })),
      pageNumber: input.PageNumber,
      pageSize: input.PageSize,
    });
    return {
      Keys: page.rows.map((row) => toKeyListEntry(row, this.scope)),
      TotalCount: page.totalCount,
      PageNumber: input.PageNumber,
      PageSize: input.PageSize,
    };
  }

  private targetStore(keyStoreId: string | undefined): KeyStoreRow {
    const store = keyStoreId ? this.context.registry.keyStores.get(keyStoreId) : this.context.registry.keyStores.getDefault();
    if (!store) throw new KmsError('NotFound.KeyStore', `Key store ${keyStoreId ?? '(default)'} does not exist.`);
    return store;
  }

  private rotationSettings(input: ParsedInput<'CreateKey'>): { interval: string; seconds: number } | null {
    if (!input.EnableAutomaticRotation) return null;
    if (!isSymmetricSpec(input.KeySpec)) {
      throw new KmsError('InvalidParameter', `Automatic rotation is available for symmetric keys only, not ${input.KeySpec}.`);
    }
    if (input.Origin === 'EXTERNAL') {
      throw new KmsError('UnsupportedOperation', 'Keys with imported material cannot rotate automatically; import new material into a new key.');
    }
    const interval = input.RotationInterval ?? DEFAULT_ROTATION_INTERVAL;
    return { interval, seconds: rotationIntervalSeconds(interval) };
  }
}
