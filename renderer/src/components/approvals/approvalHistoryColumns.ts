import { h } from 'vue';
import { NTag, type DataTableColumns } from 'naive-ui';
import { t } from '../../i18n';
import '../../i18n/areas/ceremonies';
import { formatUtc } from '../../lib/format';
import { approvalProgress, shortHex, type ApprovalRequest } from '../../lib/quorum';

const STATE_TYPES: Record<string, 'success' | 'error' | 'default'> = { EXECUTED: 'success', REJECTED: 'error', EXPIRED: 'default' };

/** Columns of closed requests (executed, rejected, expired). */
export function approvalHistoryColumns(): DataTableColumns<ApprovalRequest> {
  return [
    { title: () => t('ceremonies.historyColumns.operation'), key: 'Operation', render: (row) => h('span', { class: 'mono' }, row.Operation) },
    {
      title: () => t('common.state'),
      key: 'State',
      width: 110,
      render: (row) => h(NTag, { size: 'small', bordered: false, type: STATE_TYPES[row.State] ?? 'default', 'data-testid': 'approval-history-state' }, () => row.State),
    },
    { title: () => t('ceremonies.historyColumns.digest'), key: 'RequestDigest', render: (row) => h('span', { class: 'mono small', title: row.RequestDigest }, shortHex(row.RequestDigest)) },
    { title: () => t('ceremonies.historyColumns.requestedBy'), key: 'RequestedBy' },
    { title: () => t('ceremonies.historyColumns.approvals'), key: 'Approvals', render: (row) => approvalProgress(row) },
    { title: () => t('ceremonies.historyColumns.rejectedBy'), key: 'RejectedBy', render: (row) => row.RejectedBy ?? '—' },
    { title: () => t('common.created'), key: 'CreationDate', width: 170, render: (row) => h('span', { class: 'small' }, formatUtc(row.CreationDate)) },
  ];
}
