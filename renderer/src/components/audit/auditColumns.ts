import { h } from 'vue';
import { NTag, type DataTableColumns } from 'naive-ui';
import type { AuditEvent } from '../../../../shared/contract';
import { t } from '../../i18n';
import '../../i18n/areas/access';
import { formatUtc, orDash } from '../../lib/format';

/** Columns of the audit table (titles read in the language shown). */
export const auditColumns: DataTableColumns<AuditEvent> = [
  { title: () => t('access.audit.columns.sequence'), key: 'Sequence', width: 60, align: 'right', render: (row) => h('span', { class: 'mono' }, String(row.Sequence)) },
  { title: () => t('access.audit.columns.time'), key: 'Time', width: 185, render: (row) => formatUtc(row.Time) },
  { title: () => t('access.audit.columns.operation'), key: 'Operation', width: 190, render: (row) => h('span', { 'data-testid': 'audit-operation' }, row.Operation) },
  // The caller and the transport as the host names them (root, an officer; ipc, ws, cli): data, not language.
  { title: () => t('access.audit.columns.actor'), key: 'Actor', width: 90, ellipsis: { tooltip: true }, render: (row) => h('span', { translate: 'no' }, row.Actor) },
  { title: () => t('access.audit.columns.transport'), key: 'Transport', width: 100, render: (row) => h('span', { translate: 'no' }, row.Transport) },
  {
    title: () => t('access.audit.columns.resource'),
    key: 'ResourceId',
    ellipsis: { tooltip: true },
    render: (row) => h('span', { class: 'mono' }, orDash(row.ResourceId)),
  },
  {
    title: () => t('access.audit.columns.outcome'),
    key: 'Outcome',
    width: 90,
    render: (row) =>
      h(NTag, { size: 'small', bordered: false, type: row.Outcome === 'SUCCESS' ? 'success' : 'error' }, () => row.Outcome),
  },
  { title: () => t('access.audit.columns.error'), key: 'ErrorCode', width: 160, render: (row) => h('span', { class: 'mono' }, orDash(row.ErrorCode)) },
];
