import type { OperationResult, ParsedInput, Permission } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { AccessPolicyRow, Registry } from '../../registry';
import { apiDate } from '../api-date';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { deleteUnlessUsed, distinct, isTakenName, requireAll, requirePolicy } from './access-lookups';

type PolicyOutput = OperationResult<'DescribePolicy'>;

/** Policies: permissions on keys or secrets from the addresses of their network rules. */
export class PolicyService {
  constructor(
    private readonly context: ServiceContext,
    private readonly audit: AuditTrail,
  ) {}

  create(input: ParsedInput<'CreatePolicy'>, request: RequestContext): PolicyOutput {
    const registry = this.context.registry;
    const taken = (): KmsError => new KmsError('AlreadyExists.Policy', `Policy ${input.Name} already exists.`);
    const now = isoNow(this.context);
    const row: AccessPolicyRow = {
      name: input.Name,
      permissions: distinct(input.Permissions),
      resources: distinct(input.Resources),
      description: input.Description,
      createdAt: now,
      updatedAt: now,
    };
    const rules = distinct(input.AccessControlRules.NetworkRules);
    const details = { Permissions: row.permissions.join(', '), Resources: row.resources.join(', '), NetworkRules: rules.join(', '), Description: row.description };
    try {
      this.audit.recordChange(request, { operation: 'CreatePolicy', resourceId: row.name, details }, () => {
        if (registry.accessPolicies.get(row.name)) throw taken();
        requireRules(registry, rules);
        registry.accessPolicies.insert(row, rules);
      });
    } catch (error) {
      if (isTakenName(error)) throw taken();
      throw error;
    }
    return this.output(row);
  }

  update(input: ParsedInput<'UpdatePolicy'>, request: RequestContext): PolicyOutput {
    const registry = this.context.registry;
    const patch = {
      permissions: input.Permissions ? distinct(input.Permissions) : undefined,
      resources: input.Resources ? distinct(input.Resources) : undefined,
      description: input.Description,
      updatedAt: isoNow(this.context),
    };
    const rules = input.AccessControlRules ? distinct(input.AccessControlRules.NetworkRules) : undefined;
    const details: Record<string, string> = {};
    if (patch.permissions) details.Permissions = patch.permissions.join(', ');
    if (patch.resources) details.Resources = patch.resources.join(', ');
    if (rules) details.NetworkRules = rules.join(', ');
    if (patch.description !== undefined) details.Description = patch.description;
    this.audit.recordChange(request, { operation: 'UpdatePolicy', resourceId: input.Name, details }, () => {
      requirePolicy(registry, input.Name);
      if (rules) {
        requireRules(registry, rules);
        registry.accessPolicies.setNetworkRules(input.Name, rules);
      }
      registry.accessPolicies.update(input.Name, patch);
    });
    return this.output(requirePolicy(registry, input.Name));
  }

  delete(input: ParsedInput<'DeletePolicy'>, request: RequestContext): OperationResult<'DeletePolicy'> {
    const registry = this.context.registry;
    deleteUnlessUsed((change) => this.audit.recordChange(request, { operation: 'DeletePolicy', resourceId: input.Name }, change), {
      require: () => requirePolicy(registry, input.Name),
      users: () => registry.accessPolicies.accessPointsUsing(input.Name),
      remove: () => registry.accessPolicies.delete(input.Name),
      inUse: (accessPoints) =>
        new KmsError(
          'Forbidden.ResourceInUse',
          `Policy ${input.Name} is attached to access ${accessPoints.length === 1 ? 'point' : 'points'} ${accessPoints.join(', ')}; detach it from them first.`,
        ),
    });
    return {};
  }

  list(input: ParsedInput<'ListPolicies'>): OperationResult<'ListPolicies'> {
    const page = this.context.registry.accessPolicies.list({ pageNumber: input.PageNumber, pageSize: input.PageSize });
    return {
      Policies: page.rows.map((row) => this.output(row)),
      TotalCount: page.totalCount,
      PageNumber: input.PageNumber,
      PageSize: input.PageSize,
    };
  }

  describe(input: ParsedInput<'DescribePolicy'>): PolicyOutput {
    return this.output(requirePolicy(this.context.registry, input.Name));
  }

  private output(row: AccessPolicyRow): PolicyOutput {
    const policies = this.context.registry.accessPolicies;
    return {
      Name: row.name,
      Permissions: row.permissions as Permission[],
      Resources: row.resources,
      AccessControlRules: { NetworkRules: policies.networkRulesOf(row.name) },
      Description: row.description,
      AccessPoints: policies.accessPointsUsing(row.name),
      CreatedAt: apiDate(row.createdAt),
      UpdatedAt: apiDate(row.updatedAt),
    };
  }
}

function requireRules(registry: Registry, rules: readonly string[]): void {
  requireAll(rules, (name) => registry.networkRules.get(name) !== null, 'NotFound.NetworkRule', ['Network rule', 'Network rules']);
}
