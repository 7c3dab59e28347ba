import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { OperationInput, OperationResult } from '../../../shared/contract';
import { invoke } from '../api/client';
import { isOpen, type ApprovalRequest } from '../lib/approval-state';
import { rereadAfterChange } from './reread';

export type ExecuteInput = OperationInput<'ExecuteApprovedRequest'>;
export type ExecuteResult = OperationResult<'ExecuteApprovedRequest'>;

/** Either the officer's token PIN (Keyward signs on their token) or a signature made elsewhere. */
export type ApprovalProof = { Pin: string } | { Signature: string };

/** The approvals inbox: open requests to approve, reject or execute, and the closed ones. */
export const useApprovalsStore = defineStore('approvals', () => {
  const requests = ref<ApprovalRequest[]>([]);
  const loading = ref(false);

  const open = computed(() => requests.value.filter(isOpen));
  const closed = computed(() => requests.value.filter((request) => !isOpen(request)));

  async function load(): Promise<void> {
    loading.value = true;
    try {
      requests.value = (await invoke('ListApprovalRequests', {})).ApprovalRequests;
    } finally {
      loading.value = false;
    }
  }

  async function approve(id: string, officerName: string, proof: ApprovalProof): Promise<void> {
    await invoke('ApproveRequest', { ApprovalRequestId: id, OfficerName: officerName, ...proof });
    await rereadAfterChange(load());
  }

  async function reject(id: string, reason: string): Promise<void> {
    await invoke('RejectRequest', { ApprovalRequestId: id, ...(reason ? { Reason: reason } : {}) });
    await rereadAfterChange(load());
  }

  async function execute(input: ExecuteInput): Promise<ExecuteResult> {
    try {
      return await invoke('ExecuteApprovedRequest', input);
    } finally {
      await rereadAfterChange(load());
    }
  }

  return { requests, loading, open, closed, load, approve, reject, execute };
});
