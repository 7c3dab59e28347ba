import { randomUUID } from 'node:crypto';
import { EXTERNAL_KEY_SPECS, type OperationResult, type ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { RegistryConstraintError, type KeyRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import type { ExternalKeyCheck } from '../external/external-key-check';
import type { KeyStoreConnections } from '../keystores/connections';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { objectIdOfVersion, refuseReservedAlias } from './key-identifiers';
import { toKeyListEntry, toKeyMetadata, type ArnScope } from './key-metadata';
import type { KeyResolver } from './key-resolver';
import { destroyVersionMaterial, generateVersionMaterial } from './key-material';
import { isImportableSpec, isSymmetricSpec, resolveUsage, rotationIntervalSeconds } from './key-specs';
import { targetKeyStore } from './target-key-store';
import { TokenCapabilities } from './token-capabilities';

const DEFAULT_ROTATION_INTERVAL = '365d';

export class KeyService {
  private readonly capabilities = new TokenCapabilities();

  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
    private readonly resolver: KeyResolver,
    private readonly audit: AuditTrail,
    private readonly scope: ArnScope,
    private readonly externalKeys: ExternalKeyCheck,
  ) {}

  /** `reservedAlias` lets Keyward itself name a key under RESERVED_ALIAS_PREFIX (the default secrets key). */
  async create(input: ParsedInput<'CreateKey'>, request: RequestContext, options: { reservedAlias?: boolean } = {}): Promise<OperationResult<'CreateKey'>> {
    const { registry } = this.context;
    if (input.Alias && !options.reservedAlias) refuseReservedAlias(input.Alias);
    const store = targetKeyStore(registry, this.connections, input.KeyStoreId, input.ProtectionLevel);
    const usage = resolveUsage(input.KeySpec, input.KeyUsage);
    if (input.Origin === 'EXTERNAL') requireExternalAcknowledged(input);
    // Checked before the HSM generates anything; the insert below still catches a race.
    if (input.Alias && registry.aliases.get(input.Alias)) throw aliasTaken(input.Alias);
    const rotation = this.rotationSettings(input);
    // An external key store's key: checked at its proxy; its own material goes to the default key store.
    const placement = await this.externalKeys.placement(input, store, request);
    const materialStore = placement?.materialStore ?? store;
    const now = isoNow(this.context);
    const keyId = randomUUID();
    const external = input.Origin === 'EXTERNAL';
    const versionId = external ? null : randomUUID();

    if (versionId) {
      // Every HSM of the store must be able to hold the key (Ed25519 needs the PKCS#11 v3.0 Edwards mechanisms).
      for (const token of this.connections.requireTokens(materialStore.id)) await this.capabilities.requireKeySpec(token, input.KeySpec, 'CreateKey');
      await generateVersionMaterial({ connections: this.connections, store: materialStore, keyId, versionId, keySpec: input.KeySpec, request });
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
      xksKeyId: placement?.xksKeyId ?? null,
    };
    try {
      this.audit.recordChange(
        request,
        {
          operation: 'CreateKey',
          resourceId: keyId,
          details: {
            KeySpec: input.KeySpec,
            KeyUsage: usage,
            Origin: input.Origin,
            KeyStoreId: store.id,
            ...(input.Alias ? { Alias: input.Alias } : {}),
            ...(placement ? { XksKeyId: placement.xksKeyId } : {}),
          },
        },
        () => {
          registry.keys.insert(row);
          if (versionId) registry.keyVersions.insert({ id: versionId, keyId, objectId: objectIdOfVersion(versionId), createdAt: now });
          if (input.Alias) registry.aliases.insert({ aliasName: input.Alias, keyId, createdAt: now, updatedAt: now });
        },
      );
    } catch (error) {
      // The registry refused the key or its alias: leave no orphan object on the token.
      if (versionId) await destroyVersionMaterial(this.connections, materialStore.id, versionId);
      // Another process (the CLI next to the app) took the alias between the check and the insert.
      if (input.Alias && error instanceof RegistryConstraintError && error.kind === 'unique') throw aliasTaken(input.Alias);
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

/** Origin EXTERNAL: a spec whose material can be imported, and the officer's explicit acknowledgement. */
function requireExternalAcknowledged(input: ParsedInput<'CreateKey'>): void {
  if (!isImportableSpec(input.KeySpec)) {
    throw new KmsError('UnsupportedOperation', `Origin EXTERNAL is available for ${EXTERNAL_KEY_SPECS.join(', ')} only, not ${input.KeySpec}: its private key cannot be imported.`);
  }
  if (input.AcknowledgeExternalKeyMaterial !== true) {
    throw new KmsError(
      'InvalidParameter',
      'Origin EXTERNAL requires AcknowledgeExternalKeyMaterial: true, confirming that you understand the implications of using external key material (you keep the only copy; the key is unusable while its material is expired or deleted).',
    );
  }
}

function aliasTaken(aliasName: string): KmsError {
  return new KmsError('AlreadyExists.Alias', `Alias ${aliasName} already exists; no key was created.`);
}
