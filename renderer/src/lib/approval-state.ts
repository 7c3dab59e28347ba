import type { OperationResult } from '../../../shared/contract';

/*
 * What the header's approvals count needs, apart from quorum.ts: that module speaks (its strings
 * are the ceremonies area's), and the shell is in the first paint.
 */
export type ApprovalRequest = OperationResult<'ListApprovalRequests'>['ApprovalRequests'][number];

/** Still open: approvals can be added (PENDING) or it can run (READY). */
export function isOpen(request: ApprovalRequest): boolean {
  return request.State === 'PENDING' || request.State === 'READY';
}
