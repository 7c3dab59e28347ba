import { h } from 'vue';
import { NTag, type DataTableColumns } from 'naive-ui';
import type { AuditEvent } from '../../../../shared/contract';
import { formatUtc, orDash } from '../../lib/format';

/** Columns of the audit table. */
export const auditColumns: DataTableColumns<AuditEvent> = [
  { title: 'Seq', key: 'Sequence', width: 60, align: 'right', render: (row) => h('span', { class: 'mono' }, String(row.Sequence)) },
  { title: 'Time', key: 'Time', width: 185, render: (row) => formatUtc(row.Time) },
  { title: 'Operation', key: 'Operation', width: 190, render: (row) => h('span', { 'data-testid': 'audit-operation' }, row.Operation) },
  { title: 'Actor', key: 'Actor', width: 90, ellipsis: { tooltip: true } },
  { title: 'Transport', key: 'Transport', width: 100 },
  {
    title: 'Resource',
    key: 'ResourceId',
    ellipsis: { tooltip: true },
    render: (row) => h('span', { class: 'mono' }, orDash(row.ResourceId)),
  },
  {
    title: 'Outcome',
    key: 'Outcome',
    width: 90,
    render: (row) =>
      h(NTag, { size: 'small', bordered: false, type: row.Outcome === 'SUCCESS' ? 'success' : 'error' }, () => row.Outcome),
  },
  { title: 'Error', key: 'ErrorCode', width: 160, render: (row) => h('span', { class: 'mono' }, orDash(row.ErrorCode)) },
];
