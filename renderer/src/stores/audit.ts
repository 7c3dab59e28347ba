import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { AuditEvent, OperationOutput } from '../../../shared/contract';
import { invoke } from '../api/client';
import { t } from '../i18n';
import '../i18n/areas/access';
import { DEFAULT_AUDIT_PAGE_SIZE, emptyAuditFilters, toAuditListInput, type AuditFilters, type AuditView } from '../lib/audit-filters';

export type AuditVerification = Omit<OperationOutput<'VerifyAuditLog'>, 'RequestId'>;
/** A signed export and the fingerprint of the key that signed it (what a witness compares). */
export type AuditExport = Omit<OperationOutput<'ExportAuditLog'>, 'RequestId'> & { SigningKeySha256: string };

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

  /** The whole log, signed in the HSM; the export itself becomes the next record, so the page reloads. */
  async function exportLog(): Promise<AuditExport> {
    const { RequestId: _requestId, ...exported } = await invoke('ExportAuditLog', {});
    const key = await invoke('GetAuditSigningKey', {});
    // Both answers name the same key unless it changed in between: then the fingerprint would mislead.
    if (key.PublicKey !== exported.SigningPublicKey) throw new Error(t('access.audit.exportDialog.keyChanged'));
    await load();
    return { ...exported, SigningKeySha256: key.Sha256 };
  }

  return { events, total, page, pageSize, filters, loading, verification, load, show, verify, exportLog };
});
