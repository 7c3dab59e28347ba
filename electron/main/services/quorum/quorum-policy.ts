import { contract, EXECUTION_SECRET_FIELDS, OPERATION_NAMES, type OperationName, type OperationResult, type ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { QuorumPolicyRow, Registry } from '../../registry';
import { apiDate } from '../api-date';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';

/** The approval flow itself, and the first-run step nobody can approve before officers exist. */
const NEVER_PROTECTED: ReadonlySet<OperationName> = new Set(['ApproveRequest', 'RejectRequest', 'ExecuteApprovedRequest', 'InitializeDefaultKeyStore']);

/**
 * State changes a policy may name: ExecuteApprovedRequest must be able to carry their secret fields
 * (passwords and PINs, never a secret value), and they must not hand over a file.
 */
export const PROTECTABLE_OPERATIONS: readonly OperationName[] = OPERATION_NAMES.filter((name) => {
  const definition = contract[name];
  const secrets: readonly string[] = definition.secretFields;
  return definition.mutates && definition.file === undefined && !NEVER_PROTECTED.has(name) && secrets.every((field) => (EXECUTION_SECRET_FIELDS as readonly string[]).includes(field));
});

/** Whether the policy in force makes `operation` wait for approvals. Once set, changing the policy does too. */
export function isProtected(policy: QuorumPolicyRow | null, operation: OperationName): boolean {
  return policy !== null && (policy.operations.includes(operation) || operation === 'UpdateQuorumPolicy');
}

export function describePolicy(registry: Registry): OperationResult<'DescribeQuorumPolicy'> {
  const policy = registry.officers.policy();
  return {
    Operations: policy?.operations ?? [],
    MinApprovals: policy?.minApprovals ?? 0,
    ApprovalWindowMinutes: policy?.approvalWindowMinutes ?? 10,
    UpdateDate: policy ? apiDate(policy.updatedAt) : null,
    ProtectableOperations: [...PROTECTABLE_OPERATIONS],
  };
}

export class QuorumPolicyService {
  constructor(
    private readonly context: ServiceContext,
    private readonly audit: AuditTrail,
  ) {}

  describe(): OperationResult<'DescribeQuorumPolicy'> {
    return describePolicy(this.context.registry);
  }

  update(input: ParsedInput<'UpdateQuorumPolicy'>, request: RequestContext): OperationResult<'UpdateQuorumPolicy'> {
    const operations = [...new Set(input.Operations)].sort();
    const refused = operations.filter((name) => !(PROTECTABLE_OPERATIONS as readonly string[]).includes(name));
    if (refused.length > 0) {
      throw new KmsError('InvalidParameter', `Operations ${refused.join(', ')} cannot be quorum-protected (unknown, read-only, the approval flow itself, or with secrets ExecuteApprovedRequest cannot carry).`);
    }
    const { registry } = this.context;
    registry.transaction(() => {
      const enabled = registry.officers.countEnabled();
      if (operations.length > 0 && enabled < input.MinApprovals) {
        throw new KmsError('Forbidden.Quorum', `MinApprovals ${input.MinApprovals} needs at least that many enabled officers; ${enabled} are enrolled and enabled.`);
      }
      const details = { Operations: operations.join(','), MinApprovals: input.MinApprovals, ApprovalWindowMinutes: input.ApprovalWindowMinutes };
      this.audit.recordChange(request, { operation: 'UpdateQuorumPolicy', resourceId: 'quorum-policy', details }, () =>
        registry.officers.setPolicy({ operations, minApprovals: input.MinApprovals, approvalWindowMinutes: input.ApprovalWindowMinutes, updatedAt: isoNow(this.context) }),
      );
    });
    return this.describe();
  }
}
