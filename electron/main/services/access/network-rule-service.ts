import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { NetworkRuleRow } from '../../registry';
import { apiDate } from '../api-date';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { deleteUnlessUsed, isTakenName, requireNetworkRule } from './access-lookups';
import { distinctSourceAddresses } from './source-addresses';

type NetworkRuleOutput = OperationResult<'DescribeNetworkRule'>;

/** Network rules: the source addresses policies admit. A rule in use by a policy cannot be deleted. */
export class NetworkRuleService {
  constructor(
    private readonly context: ServiceContext,
    private readonly audit: AuditTrail,
  ) {}

  create(input: ParsedInput<'CreateNetworkRule'>, request: RequestContext): NetworkRuleOutput {
    const registry = this.context.registry;
    const taken = (): KmsError => new KmsError('AlreadyExists.NetworkRule', `Network rule ${input.Name} already exists.`);
    if (registry.networkRules.get(input.Name)) throw taken();
    const now = isoNow(this.context);
    const row: NetworkRuleRow = {
      name: input.Name,
      type: input.Type,
      sourcePrivateIp: distinctSourceAddresses(input.SourcePrivateIp),
      description: input.Description,
      createdAt: now,
      updatedAt: now,
    };
    try {
      this.audit.recordChange(request, { operation: 'CreateNetworkRule', resourceId: row.name, details: auditDetails(row) }, () =>
        registry.networkRules.insert(row),
      );
    } catch (error) {
      if (isTakenName(error)) throw taken();
      throw error;
    }
    return this.output(row);
  }

  update(input: ParsedInput<'UpdateNetworkRule'>, request: RequestContext): NetworkRuleOutput {
    const registry = this.context.registry;
    const patch = {
      sourcePrivateIp: input.SourcePrivateIp ? distinctSourceAddresses(input.SourcePrivateIp) : undefined,
      description: input.Description,
      updatedAt: isoNow(this.context),
    };
    const details: Record<string, string | number> = {};
    if (patch.sourcePrivateIp) details.SourceAddresses = patch.sourcePrivateIp.join(', ');
    if (patch.description !== undefined) details.Description = patch.description;
    this.audit.recordChange(request, { operation: 'UpdateNetworkRule', resourceId: input.Name, details }, () => {
      if (!registry.networkRules.update(input.Name, patch)) requireNetworkRule(registry, input.Name);
    });
    return this.output(requireNetworkRule(registry, input.Name));
  }

  delete(input: ParsedInput<'DeleteNetworkRule'>, request: RequestContext): OperationResult<'DeleteNetworkRule'> {
    const registry = this.context.registry;
    deleteUnlessUsed((change) => this.audit.recordChange(request, { operation: 'DeleteNetworkRule', resourceId: input.Name }, change), {
      require: () => requireNetworkRule(registry, input.Name),
      users: () => registry.networkRules.policiesUsing(input.Name),
      remove: () => registry.networkRules.delete(input.Name),
      inUse: (policies) =>
        new KmsError(
          'Forbidden.ResourceInUse',
          `Network rule ${input.Name} is used by ${policies.length === 1 ? 'policy' : 'policies'} ${policies.join(', ')}; remove it from them first.`,
        ),
    });
    return {};
  }

  list(input: ParsedInput<'ListNetworkRules'>): OperationResult<'ListNetworkRules'> {
    const page = this.context.registry.networkRules.list({ pageNumber: input.PageNumber, pageSize: input.PageSize });
    return {
      NetworkRules: page.rows.map((row) => this.output(row)),
      TotalCount: page.totalCount,
      PageNumber: input.PageNumber,
      PageSize: input.PageSize,
    };
  }

  describe(input: ParsedInput<'DescribeNetworkRule'>): NetworkRuleOutput {
    return this.output(requireNetworkRule(this.context.registry, input.Name));
  }

  private output(row: NetworkRuleRow): NetworkRuleOutput {
    return {
      Name: row.name,
      Type: row.type,
      SourcePrivateIp: row.sourcePrivateIp,
      Description: row.description,
      Policies: this.context.registry.networkRules.policiesUsing(row.name),
      CreatedAt: apiDate(row.createdAt),
      UpdatedAt: apiDate(row.updatedAt),
    };
  }
}

function auditDetails(row: NetworkRuleRow): Record<string, string> {
  return { Type: row.type, SourceAddresses: row.sourcePrivateIp.join(', '), Description: row.description };
}
