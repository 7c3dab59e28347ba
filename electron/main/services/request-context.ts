import type { TransportName } from '../../../shared/bridge';

/** Per-call context handed to every handler by the dispatcher. */
export interface RequestContext {
  requestId: string;
  transport: TransportName;
  /** Who acts: the OS user running Keyward (an offline console has one officer at the keyboard). */
  actor: string;
  /** Report progress of long work; fraction in 0..1 or null when unknown. */
  progress(fraction: number | null, message: string): void;
  /** Set while ExecuteApprovedRequest runs a quorum-protected operation: the approval it runs under. */
  approval?: ApprovalContext;
  /** Set while RunCeremonyStep runs a step's operation: its audit records name the step. */
  ceremony?: CeremonyContext;
}

export interface CeremonyContext {
  ceremonyId: string;
  stepId: string;
}

export interface ApprovalContext {
  approvalRequestId: string;
  operation: string;
  requestDigest: string;
  approvedBy: string[];
}
