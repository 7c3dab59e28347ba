import { h } from 'vue';
import { NTag, type DataTableColumns } from 'naive-ui';
import { formatUtc } from '../../lib/format';
import { approvalProgress, shortHex, type ApprovalRequest } from '../../lib/quorum';

const STATE_TYPES: Record<string, 'success' | 'error' | 'default'> = { EXECUTED: 'success', REJECTED: 'error', EXPIRED: 'default' };

/** Columns of closed requests (executed, rejected, expired). */
export function approvalHistoryColumns(): DataTableColumns<ApprovalRequest> {
  return [
    { title: 'Operation', key: 'Operation', render: (row) => h('span', { class: 'mono' }, row.Operation) },
    {
      title: 'State',
      key: 'State',
      width: 110,
      render: (row) => h(NTag, { size: 'small', bordered: false, type: STATE_TYPES[row.State] ?? 'default', 'data-testid': 'approval-history-state' }, () => row.State),
    },
    { title: 'Digest', key: 'RequestDigest', render: (row) => h('span', { class: 'mono small', title: row.RequestDigest }, shortHex(row.RequestDigest)) },
    { title: 'Requested by', key: 'RequestedBy' },
    { title: 'Approvals', key: 'Approvals', render: (row) => approvalProgress(row) },
    { title: 'Rejected by', key: 'RejectedBy', render: (row) => row.RejectedBy ?? '—' },
    { title: 'Created', key: 'CreationDate', width: 170, render: (row) => h('span', { class: 'small' }, formatUtc(row.CreationDate)) },
  ];
}
