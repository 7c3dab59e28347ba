import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { AuditEvent, OperationOutput } from '../../../shared/contract';
import { invoke } from '../api/client';

export type AuditVerification = Omit<OperationOutput<'VerifyAuditLog'>, 'RequestId'>;

/** The audit log: remote pages of ListAuditEvents and the hash-chain check. */
export const useAuditStore = defineStore('audit', () => {
  const events = ref<AuditEvent[]>([]);
  const total = ref(0);
  const page = ref(1);
  const pageSize = ref(50);
  const loading = ref(false);
  const verification = ref<AuditVerification | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const output = await invoke('ListAuditEvents', { PageNumber: page.value, PageSize: pageSize.value });
      events.value = output.Events;
      total.value = output.TotalCount;
    } finally {
      loading.value = false;
    }
  }

  async function goTo(nextPage: number, nextSize = pageSize.value): Promise<void> {
    page.value = nextSize === pageSize.value ? nextPage : 1;
    pageSize.value = nextSize;
    await load();
  }

  async function verify(): Promise<AuditVerification> {
    verification.value = null;
    const { RequestId: _requestId, ...result } = await invoke('VerifyAuditLog', {});
    verification.value = result;
    return result;
  }

  return { events, total, page, pageSize, loading, verification, load, goTo, verify };
});
