import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { AccessPointRow, Registry } from '../../registry';
import { apiDate } from '../api-date';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { distinct, isTakenName, requireAccessPoint, requireAll } from './access-lookups';

type AccessPointOutput = OperationResult<'DescribeApplicationAccessPoint'>;

/**
 * Application access points: the policies applications reach with the access point's client keys.
 * Deleting one revokes its client keys in the same transaction (their rows go with it).
 */
export class AccessPointService {
  constructor(
    private readonly context: ServiceContext,
    private readonly audit: AuditTrail,
  ) {}

  create(input: ParsedInput<'CreateApplicationAccessPoint'>, request: RequestContext): AccessPointOutput {
    const registry = this.context.registry;
    const taken = (): KmsError => new KmsError('AlreadyExists.ApplicationAccessPoint', `Application access point ${input.Name} already exists.`);
    const now = isoNow(this.context);
    const row: AccessPointRow = {
      name: input.Name,
      authenticationMethod: input.AuthenticationMethod,
      description: input.Description,
      createdAt: now,
      updatedAt: now,
    };
    const policies = distinct(input.Policies);
    const details = { AuthenticationMethod: row.authenticationMethod, Policies: policies.join(', '), Description: row.description };
    try {
      this.audit.recordChange(request, { operation: 'CreateApplicationAccessPoint', resourceId: row.name, details }, () => {
        if (registry.accessPoints.get(row.name)) throw taken();
        requirePolicies(registry, policies);
        registry.accessPoints.insert(row, policies);
      });
    } catch (error) {
      if (isTakenName(error)) throw taken();
      throw error;
    }
    return this.output(row);
  }

  update(input: ParsedInput<'UpdateApplicationAccessPoint'>, request: RequestContext): AccessPointOutput {
    const registry = this.context.registry;
    const policies = input.Policies ? distinct(input.Policies) : undefined;
    const details: Record<string, string> = {};
    if (policies) details.Policies = policies.join(', ');
    if (input.Description !== undefined) details.Description = input.Description;
    this.audit.recordChange(request, { operation: 'UpdateApplicationAccessPoint', resourceId: input.Name, details }, () => {
      requireAccessPoint(registry, input.Name);
      if (policies) {
        requirePolicies(registry, policies);
        registry.accessPoints.setPolicies(input.Name, policies);
      }
      registry.accessPoints.update(input.Name, { description: input.Description, updatedAt: isoNow(this.context) });
    });
    return this.output(requireAccessPoint(registry, input.Name));
  }

  delete(input: ParsedInput<'DeleteApplicationAccessPoint'>, request: RequestContext): OperationResult<'DeleteApplicationAccessPoint'> {
    const registry = this.context.registry;
    // Counted inside the transaction so the record names exactly the keys the deletion revoked.
    const revoked = this.context.registry.transaction(() => {
      requireAccessPoint(registry, input.Name);
      const count = registry.accessPoints.clientKeyCount(input.Name);
      this.audit.recordChange(request, { operation: 'DeleteApplicationAccessPoint', resourceId: input.Name, details: { RevokedClientKeys: count } }, () =>
        registry.accessPoints.delete(input.Name),
      );
      return count;
    });
    return { RevokedClientKeys: revoked };
  }

  list(input: ParsedInput<'ListApplicationAccessPoints'>): OperationResult<'ListApplicationAccessPoints'> {
    const page = this.context.registry.accessPoints.list({ pageNumber: input.PageNumber, pageSize: input.PageSize });
    return {
      ApplicationAccessPoints: page.rows.map((row) => this.output(row)),
      TotalCount: page.totalCount,
      PageNumber: input.PageNumber,
      PageSize: input.PageSize,
    };
  }

  describe(input: ParsedInput<'DescribeApplicationAccessPoint'>): AccessPointOutput {
    return this.output(requireAccessPoint(this.context.registry, input.Name));
  }

  private output(row: AccessPointRow): AccessPointOutput {
    const accessPoints = this.context.registry.accessPoints;
    return {
      Name: row.name,
      AuthenticationMethod: row.authenticationMethod,
      Policies: accessPoints.policiesOf(row.name),
      Description: row.description,
      ClientKeyCount: accessPoints.clientKeyCount(row.name),
      CreatedAt: apiDate(row.createdAt),
      UpdatedAt: apiDate(row.updatedAt),
    };
  }
}

function requirePolicies(registry: Registry, policies: readonly string[]): void {
  requireAll(policies, (name) => registry.accessPolicies.get(name) !== null, 'NotFound.Policy', ['Policy', 'Policies']);
}
