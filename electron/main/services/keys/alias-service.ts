import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { type AliasRow, type KeyRow, RegistryConstraintError } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { refuseReservedAlias } from './key-identifiers';
import type { ArnScope } from './key-metadata';
import type { KeyResolver } from './key-resolver';

type AliasOutput = OperationResult<'CreateAlias'>;

/** Aliases: `alias/...` names pointing at one key each; a key may have several. */
export class AliasService {
  constructor(
    private readonly context: ServiceContext,
    private readonly resolver: KeyResolver,
    private readonly audit: AuditTrail,
    private readonly scope: ArnScope,
  ) {}

  create(input: ParsedInput<'CreateAlias'>, request: RequestContext): AliasOutput {
    refuseReservedAlias(input.AliasName);
    const key = this.target(input.KeyId);
    const now = isoNow(this.context);
    if (this.context.registry.aliases.get(input.AliasName)) throw aliasExists(input.AliasName);
    try {
      this.audit.recordChange(request, { operation: 'CreateAlias', resourceId: key.id, details: { AliasName: input.AliasName } }, () => {
        this.context.registry.aliases.insert({ aliasName: input.AliasName, keyId: key.id, createdAt: now, updatedAt: now });
      });
    } catch (error) {
      // Another process (the CLI next to the app) took the name between the check and the insert.
      if (error instanceof RegistryConstraintError && error.kind === 'unique') throw aliasExists(input.AliasName);
      throw error;
    }
    return this.output(input.AliasName, key.id);
  }

  update(input: ParsedInput<'UpdateAlias'>, request: RequestContext): AliasOutput {
    refuseReservedAlias(input.AliasName);
    const existing = this.requireAlias(input.AliasName);
    const key = this.target(input.KeyId);
    this.audit.recordChange(
      request,
      { operation: 'UpdateAlias', resourceId: key.id, details: { AliasName: input.AliasName, PreviousKeyId: existing.keyId } },
      () => {
        this.context.registry.aliases.retarget(input.AliasName, key.id, isoNow(this.context));
      },
    );
    return this.output(input.AliasName, key.id);
  }

  delete(input: ParsedInput<'DeleteAlias'>, request: RequestContext): OperationResult<'DeleteAlias'> {
    refuseReservedAlias(input.AliasName);
    const existing = this.requireAlias(input.AliasName);
    this.audit.recordChange(request, { operation: 'DeleteAlias', resourceId: existing.keyId, details: { AliasName: input.AliasName } }, () => {
      if (!this.context.registry.aliases.delete(input.AliasName)) throw aliasMissing(input.AliasName);
    });
    return { AliasName: input.AliasName };
  }

  list(input: ParsedInput<'ListAliases'>): OperationResult<'ListAliases'> {
    const page = this.context.registry.aliases.list({ pageNumber: input.PageNumber, pageSize: input.PageSize });
    return {
      Aliases: page.rows.map((row) => this.output(row.aliasName, row.keyId)),
      TotalCount: page.totalCount,
      PageNumber: input.PageNumber,
      PageSize: input.PageSize,
    };
  }

  listByKey(input: ParsedInput<'ListAliasesByKeyId'>): OperationResult<'ListAliasesByKeyId'> {
    const key = this.resolver.resolve(input.KeyId);
    const rows = this.context.registry.aliases.listByKey(key.id);
    const start = (input.PageNumber - 1) * input.PageSize;
    return {
      Aliases: rows.slice(start, start + input.PageSize).map((row) => this.output(row.aliasName, row.keyId)),
      TotalCount: rows.length,
      PageNumber: input.PageNumber,
      PageSize: input.PageSize,
    };
  }

  /** Aliases may point at any live key except one being deleted. */
  private target(identifier: string): KeyRow {
    const key = this.resolver.resolve(identifier);
    if (key.keyState === 'PendingDeletion') {
      throw new KmsError('Forbidden.KeyState', `Key ${key.id} is PendingDeletion; aliases cannot point at it.`);
    }
    return key;
  }

  private requireAlias(aliasName: string): AliasRow {
    const alias = this.context.registry.aliases.get(aliasName);
    if (!alias) throw aliasMissing(aliasName);
    return alias;
  }

  private output(aliasName: string, keyId: string): AliasOutput {
    return { AliasName: aliasName, AliasArn: `acs:kms:${this.scope.region}:${this.scope.owner}:${aliasName}`, KeyId: keyId };
  }
}

function aliasExists(aliasName: string): KmsError {
  return new KmsError('AlreadyExists.Alias', `Alias ${aliasName} already exists.`);
}

function aliasMissing(aliasName: string): KmsError {
  return new KmsError('NotFound.Alias', `Alias ${aliasName} does not exist.`);
}
