import type { OperationName } from '../../../../shared/contract';
import type { BufferedAuditWriter, Registry } from '../../registry';
import type { FailureAuditor } from '../handlers-type';
import type { ApprovalContext, CeremonyContext, RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';

export type AuditDetails = Record<string, string | number | boolean>;

/** What Keyward does by itself (start-up and timer sweeps), audited next to the operations. */
export const MAINTENANCE_EVENTS = [
  'DeleteKey',
  'RotateKey',
  'ExpireKeyMaterial',
  'ExpireImportToken',
  'DestroySecret',
  // The application endpoint's TLS certificate replaced before it expires.
  'RenewEndpointCertificate',
  // A maintenance round that failed as a whole (each failure audited once until it clears).
  'MaintenanceRound',
  // A cluster member dropped during a call (or came back): the cluster's recorded state changed.
  'ClusterHealthChange',
] as const;
export type MaintenanceEvent = (typeof MAINTENANCE_EVENTS)[number];

export interface AuditEntry {
  operation: OperationName | MaintenanceEvent;
  resourceId: string;
  details?: AuditDetails;
}

/**
 * How services write the audit trail: state changes durably in the same transaction as their
 * registry change; crypto usage through the group-commit writer, which keeps usage records without
 * capping throughput at one fsync per call.
 */
export class AuditTrail {
  constructor(
    private readonly context: ServiceContext,
    private readonly usageWriter: BufferedAuditWriter,
  ) {}

  /** Runs `change` and appends its SUCCESS record in one SQLite transaction. */
  recordChange<T>(request: RequestContext, entry: AuditEntry, change: () => T): T {
    return this.context.registry.transaction(() => {
      const result = change();
      this.append(request, entry, 'SUCCESS', null);
      return result;
    });
  }

  /** A state change that touches no registry row (e.g. connecting a key store). */
  recordEvent(request: RequestContext, entry: AuditEntry): void {
    this.context.registry.transaction(() => this.append(request, entry, 'SUCCESS', null));
  }

  /** A refused attempt that still changes a registry row (a counted failed login): both commit together. */
  recordFailedChange<T>(request: RequestContext, entry: AuditEntry, errorCode: string, change: () => T): T {
    return this.context.registry.transaction(() => {
      const result = change();
      this.append(request, entry, 'FAILURE', errorCode);
      return result;
    });
  }

  /** Something Keyward tried by itself and could not do (no registry change). */
  recordFailedEvent(request: RequestContext, entry: AuditEntry, errorCode: string): void {
    this.context.registry.transaction(() => this.append(request, entry, 'FAILURE', errorCode));
  }

  recordUsage(request: RequestContext, entry: AuditEntry, errorCode: string | null): void {
    this.usageWriter.enqueue(this.event(request, entry, errorCode === null ? 'SUCCESS' : 'FAILURE', errorCode));
  }

  readonly recordFailure: FailureAuditor = ({ operation, context, errorCode, resourceId }) => {
    this.context.registry.transaction(() => this.append(context, { operation, resourceId }, 'FAILURE', errorCode));
  };

  /** Appends a SUCCESS record to another registry (a restore records itself in the registry it restores). */
  appendTo(registry: Registry, request: RequestContext, entry: AuditEntry): void {
    registry.audit.append(this.event(request, entry, 'SUCCESS', null));
  }

  private append(request: RequestContext, entry: AuditEntry, outcome: 'SUCCESS' | 'FAILURE', errorCode: string | null): void {
    this.context.registry.audit.append(this.event(request, entry, outcome, errorCode));
  }

  private event(request: RequestContext, entry: AuditEntry, outcome: 'SUCCESS' | 'FAILURE', errorCode: string | null) {
    return {
      time: isoNow(this.context),
      operation: entry.operation,
      actor: request.actor,
      transport: request.transport,
      resourceId: entry.resourceId,
      outcome,
      errorCode,
      requestId: request.requestId,
      // An approved request's records name the approval that let it run (issue 14); a ceremony
      // step's records name the step (issue 15), which is how a restart learns whether it ran.
      details: { ...entry.details, ...(request.approval ? approvalDetails(request.approval) : {}), ...(request.ceremony ? ceremonyDetails(request.ceremony) : {}) },
    };
  }
}

function approvalDetails(approval: ApprovalContext): Record<string, string> {
  return { ApprovalRequestId: approval.approvalRequestId, RequestDigest: approval.requestDigest, ApprovedBy: approval.approvedBy.join(',') };
}

function ceremonyDetails(ceremony: CeremonyContext): Record<string, string> {
  return { CeremonyId: ceremony.ceremonyId, StepId: ceremony.stepId };
}
