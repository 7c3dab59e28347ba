/**
 * The approval flow: a quorum-protected operation called alone opens a request (its exact input
 * without secrets, and that input's digest) and answers QuorumRequired; officers approve by
 * signing the digest with their own keys; once enough distinct enabled officers have, the request
 * runs once, as approved, with the secret fields given at execution.
 */
import { randomUUID } from 'node:crypto';
import { contract, EXECUTION_SECRET_FIELDS, isOperationName, type ApprovalRequest, type OperationName, type OperationResult, type ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { RegistryConstraintError, type ApprovalRequestRow, type ApprovalRow, type OfficerRow } from '../../registry';
import { apiDate } from '../api-date';
import { AuditedFailure } from '../audit/audited-failure';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { verifiesDigest } from './approval-keys';
import type { OfficerTokens } from './officer-tokens';
import { isProtected } from './quorum-policy';
import { approvableInput, requestDigest } from './request-digest';

/** Runs an operation's handler (below the write gate: ExecuteApprovedRequest already holds it). */
export type ApprovedRunner = (operation: OperationName, input: unknown, request: RequestContext) => Promise<unknown>;

const LISTED_REQUESTS = 200;

export class ApprovalService {
  private runner: ApprovedRunner | null = null;

  constructor(
    private readonly context: ServiceContext,
    private readonly tokens: OfficerTokens,
    private readonly audit: AuditTrail,
  ) {}

  /** Set once the handlers exist (they are built from the services, this one included). */
  bindRunner(runner: ApprovedRunner): void {
    this.runner = runner;
  }

  /** Lets the call through, or opens an approval request and refuses it with QuorumRequired. */
  admit(operation: OperationName, input: Record<string, unknown>, request: RequestContext): void {
    if (request.approval?.operation === operation) return;
    const { registry } = this.context;
    const policy = registry.officers.policy();
    if (!isProtected(policy, operation) || !policy) return;
    const approvable = approvableInput(operation, input);
    const now = this.context.now();
    const row: ApprovalRequestRow = {
      id: `apr-${randomUUID()}`,
      operation,
      input: JSON.stringify(approvable),
      digest: requestDigest(operation, approvable),
      requestedBy: request.actor,
      minApprovals: policy.minApprovals,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + policy.approvalWindowMinutes * 60_000).toISOString(),
      state: 'PENDING',
      closedBy: null,
      closedAt: null,
    };
    const details = { ApprovalRequestId: row.id, RequestDigest: row.digest, Expires: apiDate(row.expiresAt), MinApprovals: String(row.minApprovals) };
    this.audit.recordFailedChange(request, { operation, resourceId: row.id, details }, 'QuorumRequired', () => registry.officers.insertRequest(row));
    throw new AuditedFailure(
      new KmsError('QuorumRequired', `${operation} needs ${row.minApprovals} officers' approval: request ${row.id} (digest ${row.digest}) waits until ${details.Expires}.`, details),
    );
  }

  list(input: ParsedInput<'ListApprovalRequests'>): OperationResult<'ListApprovalRequests'> {
    const rows = this.context.registry.officers.listRequests(LISTED_REQUESTS).map((row) => this.describe(row));
    return { ApprovalRequests: input.State ? rows.filter((row) => row.State === input.State) : rows };
  }

  async approve(input: ParsedInput<'ApproveRequest'>, request: RequestContext): Promise<OperationResult<'ApproveRequest'>> {
    const { registry } = this.context;
    const row = this.pending(input.ApprovalRequestId);
    const officer = this.enabledOfficer(input.OfficerName);
    if (registry.officers.approvals(row.id).some((approval) => approval.officerName === officer.name)) throw approvedTwice(officer.name);
    const signature = input.Signature !== undefined ? Buffer.from(input.Signature, 'base64') : await this.tokens.signAsOfficer(officer, row.digest, input.Pin ?? '', 'approve');
    if (!verifiesDigest(officer.publicKey, row.digest, signature)) {
      throw new KmsError('InvalidApprovalSignature', `The signature is not ${officer.name}'s over digest ${row.digest} of request ${row.id}.`);
    }
    try {
      this.audit.recordChange(request, { operation: 'ApproveRequest', resourceId: row.id, details: { OfficerName: officer.name, Operation: row.operation, RequestDigest: row.digest } }, () => {
        this.pending(row.id);
        this.enabledOfficer(officer.name);
        registry.officers.insertApproval({ requestId: row.id, officerName: officer.name, signature, approvedAt: isoNow(this.context) });
      });
    } catch (error) {
      if (error instanceof RegistryConstraintError && error.kind === 'unique') throw approvedTwice(officer.name);
      throw error;
    }
    return this.describe(this.requireRequest(row.id));
  }

  reject(input: ParsedInput<'RejectRequest'>, request: RequestContext): OperationResult<'RejectRequest'> {
    const { registry } = this.context;
    const row = this.pending(input.ApprovalRequestId);
    this.audit.recordChange(request, { operation: 'RejectRequest', resourceId: row.id, details: { Operation: row.operation, ...(input.Reason ? { Reason: input.Reason } : {}) } }, () => {
      if (!registry.officers.closeRequest(row.id, 'REJECTED', request.actor, isoNow(this.context))) throw notPending(row.id, 'no longer pending');
    });
    return this.describe(this.requireRequest(row.id));
  }

  async execute(input: ParsedInput<'ExecuteApprovedRequest'>, request: RequestContext): Promise<OperationResult<'ExecuteApprovedRequest'>> {
    const { registry } = this.context;
    const row = this.pending(input.ApprovalRequestId);
    if (!isOperationName(row.operation) || !this.runner) throw new KmsError('InternalFailure', `Request ${row.id} names no operation Keyward can run.`);
    const operation = row.operation;
    const approvedBy = this.validApprovers(row);
    if (approvedBy.length < row.minApprovals) {
      throw new KmsError('Forbidden.Quorum', `Request ${row.id} has ${approvedBy.length} valid approval(s) of the ${row.minApprovals} it needs.`);
    }
    const parsed = contract[operation].input.safeParse({ ...(JSON.parse(row.input) as Record<string, unknown>), ...secretFieldsFor(operation, input) });
    if (!parsed.success) throw new KmsError('MissingParameter', `${operation} needs its secret fields at execution: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}.`);
    // Closed before it runs: a second ExecuteApprovedRequest finds it EXECUTED, whatever the first one's outcome.
    const details = { Operation: operation, RequestDigest: row.digest, ApprovedBy: approvedBy.join(',') };
    this.audit.recordChange(request, { operation: 'ExecuteApprovedRequest', resourceId: row.id, details }, () => {
      if (!registry.officers.closeRequest(row.id, 'EXECUTED', request.actor, isoNow(this.context))) throw notPending(row.id, 'executed or rejected meanwhile');
    });
    const approval = { approvalRequestId: row.id, operation, requestDigest: row.digest, approvedBy };
    const result = await this.runner(operation, parsed.data, { ...request, approval });
    return { ApprovalRequestId: row.id, Operation: operation, Result: result as Record<string, unknown> };
  }

  /** Approvals of enabled officers whose signature still verifies (checked again: the rows could have been edited). */
  private validApprovers(row: ApprovalRequestRow, approvals: readonly ApprovalRow[] = this.context.registry.officers.approvals(row.id)): string[] {
    const { officers } = this.context.registry;
    return approvals.flatMap((approval) => {
      const officer = officers.get(approval.officerName);
      return officer?.state === 'ENABLED' && verifiesDigest(officer.publicKey, row.digest, approval.signature) ? [officer.name] : [];
    });
  }

  private enabledOfficer(name: string): OfficerRow {
    const officer = this.context.registry.officers.get(name);
    if (!officer) throw new KmsError('NotFound.Officer', `Officer ${name} is not enrolled.`);
    if (officer.state !== 'ENABLED') throw new KmsError('Forbidden.OfficerState', `Officer ${name} is disabled; their approvals do not count.`);
    return officer;
  }

  private requireRequest(id: string): ApprovalRequestRow {
    const row = this.context.registry.officers.getRequest(id);
    if (!row) throw new KmsError('NotFound.ApprovalRequest', `Approval request ${id} does not exist.`);
    return row;
  }

  /** A request that can still be approved, rejected or executed (PENDING or READY: its approvals do not matter here). */
  private pending(id: string): ApprovalRequestRow {
    const row = this.requireRequest(id);
    const closed = this.closedState(row);
    if (closed) throw notPending(id, closed);
    return row;
  }

  /** EXECUTED, REJECTED or EXPIRED; null while the request is open. */
  private closedState(row: ApprovalRequestRow): 'EXECUTED' | 'REJECTED' | 'EXPIRED' | null {
    if (row.state !== 'PENDING') return row.state;
    return Date.parse(row.expiresAt) <= this.context.now().getTime() ? 'EXPIRED' : null;
  }

  private describe(row: ApprovalRequestRow): ApprovalRequest {
    const approvals = this.context.registry.officers.approvals(row.id);
    const state = this.closedState(row) ?? (this.validApprovers(row, approvals).length >= row.minApprovals ? 'READY' : 'PENDING');
    return {
      ApprovalRequestId: row.id,
      Operation: row.operation,
      Input: JSON.parse(row.input) as Record<string, unknown>,
      RequestDigest: row.digest,
      RequestedBy: row.requestedBy,
      CreationDate: apiDate(row.createdAt),
      Expires: apiDate(row.expiresAt),
      State: state,
      MinApprovals: row.minApprovals,
      Approvals: approvals.map((approval) => ({ OfficerName: approval.officerName, ApprovalDate: apiDate(approval.approvedAt) })),
      RejectedBy: row.state === 'REJECTED' ? row.closedBy : null,
    };
  }
}

function secretFieldsFor(operation: OperationName, input: ParsedInput<'ExecuteApprovedRequest'>): Record<string, string> {
  const secrets: readonly string[] = contract[operation].secretFields;
  return Object.fromEntries(EXECUTION_SECRET_FIELDS.flatMap((field) => (secrets.includes(field) && input[field] !== undefined ? [[field, input[field]]] : [])));
}

function notPending(id: string, state: string): KmsError {
  return new KmsError('Forbidden.ApprovalRequestState', `Approval request ${id} is ${state}; it can no longer be approved or run.`);
}

function approvedTwice(name: string): KmsError {
  return new KmsError('AlreadyExists.Approval', `Officer ${name} has already approved this request; approvals must come from distinct officers.`);
}
