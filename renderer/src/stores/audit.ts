import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { AuditEvent, OperationOutput } from '../../../shared/contract';
import { invoke } from '../api/client';
import { DEFAULT_AUDIT_PAGE_SIZE, emptyAuditFilters, toAuditListInput, type AuditFilters, type AuditView } from '../lib/audit-filters';

export type AuditVerification = Omit<OperationOutput<'VerifyAuditLog'>, 'RequestId'>;

/** The audit log: remote pages of ListAuditEvents and the hash-chain check. */
export const useAuditStore = defineStore('audit', () => {
  const events = ref<AuditEvent[]>([]);
  const total = ref(0);
  const page = ref(1);
  const pageSize = ref(DEFAULT_AUDIT_PAGE_SIZE);
  const filters = ref<AuditFilters>(emptyAuditFilters());
  const loading = ref(false);
  const verification = ref<AuditVerification | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const output = await invoke('ListAuditEvents', {
        PageNumber: page.value,
        PageSize: pageSize.value,
        ...toAuditListInput(filters.value),
      });
      events.value = output.Events;
      total.value = output.TotalCount;
    } finally {
      loading.value = false;
    }
  }

  /** Shows the view the address names (its filters and page). */
  async function show(view: AuditView): Promise<void> {
    filters.value = view.filters;
    page.value = view.page;
    pageSize.value = view.pageSize;
    await load();
  }

  async function verify(): Promise<AuditVerification> {
    verification.value = null;
    const { RequestId: _requestId, ...result } = await invoke('VerifyAuditLog', {});
    verification.value = result;
    return result;
  }

  return { events, total, page, pageSize, filters, loading, verification, load, show, verify };
});
