import { describe, expect, it } from 'vitest';
import type { OperationResult } from '../../../../shared/contract';
import { KmsClientError } from '../../../../renderer/src/api/errors';
import type { ApprovalRequest } from '../../../../renderer/src/lib/approval-state';
import { useApprovalsStore } from '../../../../renderer/src/stores/approvals';
import { fakeHost, stub } from '../support/fake-host';

type State = ApprovalRequest['State'];

function approvalsHost(initial: Record<string, State>) {
  const states = { ...initial };
  return fakeHost({
    ListApprovalRequests: () => ({
      ApprovalRequests: Object.entries(states).map(([ApprovalRequestId, State]) => stub<ApprovalRequest>({ ApprovalRequestId, State })),
    }),
    ApproveRequest: (input) => {
      states[input.ApprovalRequestId] = 'READY';
      return stub<OperationResult<'ApproveRequest'>>({ ApprovalRequestId: input.ApprovalRequestId });
    },
    RejectRequest: (input) => {
      states[input.ApprovalRequestId] = 'REJECTED';
      return stub<OperationResult<'RejectRequest'>>({ ApprovalRequestId: input.ApprovalRequestId });
    },
    ExecuteApprovedRequest: (input) => {
      if (states[input.ApprovalRequestId] !== 'READY') throw new KmsClientError('Forbidden.ApprovalRequestState', 'not ready');
      states[input.ApprovalRequestId] = 'EXECUTED';
      return stub<OperationResult<'ExecuteApprovedRequest'>>({ ApprovalRequestId: input.ApprovalRequestId });
    },
  });
}

describe('the approvals store', () => {
  it('splits the requests into open (pending or ready) and closed ones', async () => {
    approvalsHost({ a: 'PENDING', b: 'READY', c: 'EXECUTED', d: 'REJECTED' });
    const approvals = useApprovalsStore();
    await approvals.load();
    expect(approvals.open.map((request) => request.ApprovalRequestId)).toEqual(['a', 'b']);
    expect(approvals.closed.map((request) => request.ApprovalRequestId)).toEqual(['c', 'd']);
    expect(approvals.loading).toBe(false);
  });

  it('approves with a PIN or a signature, rejects with a reason only when given, and reloads after each', async () => {
    const host = approvalsHost({ a: 'PENDING', b: 'PENDING', c: 'PENDING', d: 'PENDING' });
    const approvals = useApprovalsStore();
    await approvals.approve('a', 'alice', { Pin: '1234' });
    await approvals.approve('b', 'bob', { Signature: 'c2ln' });
    await approvals.reject('c', '');
    await approvals.reject('d', 'wrong key');
    expect(host.inputsOf('ApproveRequest')).toEqual([
      { ApprovalRequestId: 'a', OfficerName: 'alice', Pin: '1234' },
      { ApprovalRequestId: 'b', OfficerName: 'bob', Signature: 'c2ln' },
    ]);
    expect(host.inputsOf('RejectRequest')).toEqual([{ ApprovalRequestId: 'c' }, { ApprovalRequestId: 'd', Reason: 'wrong key' }]);
    expect(host.inputsOf('ListApprovalRequests')).toHaveLength(4);
    expect(approvals.open.map((request) => request.ApprovalRequestId)).toEqual(['a', 'b']);
    expect(approvals.closed.map((request) => request.State)).toEqual(['REJECTED', 'REJECTED']);
    expect(JSON.stringify(approvals.$state)).not.toContain('1234');
  });

  it('reloads the inbox after an execution whether it ran or was refused', async () => {
    const host = approvalsHost({ ready: 'READY', pending: 'PENDING' });
    const approvals = useApprovalsStore();
    await approvals.execute({ ApprovalRequestId: 'ready' });
    expect(approvals.closed.map((request) => request.ApprovalRequestId)).toEqual(['ready']);
    await expect(approvals.execute({ ApprovalRequestId: 'pending' })).rejects.toMatchObject({ Code: 'Forbidden.ApprovalRequestState' });
    expect(host.operations()).toEqual(['ExecuteApprovedRequest', 'ListApprovalRequests', 'ExecuteApprovedRequest', 'ListApprovalRequests']);
    expect(approvals.open.map((request) => request.ApprovalRequestId)).toEqual(['pending']);
  });
});
