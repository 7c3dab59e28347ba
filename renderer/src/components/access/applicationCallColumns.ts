import { h } from 'vue';
import { NTag, type DataTableColumns } from 'naive-ui';
import { t } from '../../i18n';
import '../../i18n/areas/access';
import { formatUtc, orDash } from '../../lib/format';
import type { ApplicationCall } from '../../stores/app-endpoint';

/** The endpoint card's latest application calls: who (AAP, client key, address) did what, and how it ended. */
export const applicationCallColumns: DataTableColumns<ApplicationCall> = [
  { title: () => t('access.endpoint.columns.time'), key: 'Time', width: 180, render: (row) => formatUtc(row.Time) },
  { title: () => t('access.endpoint.columns.operation'), key: 'Operation', width: 150, render: (row) => h('span', { 'data-testid': 'application-call-operation' }, row.Operation) },
  { title: () => t('access.endpoint.columns.resource'), key: 'Resource', render: (row) => h('span', { class: 'mono small break-all' }, orDash(row.Resource)) },
  { title: () => t('access.endpoint.columns.accessPoint'), key: 'AapName', width: 130, render: (row) => orDash(row.AapName) },
  { title: () => t('access.endpoint.columns.clientKey'), key: 'ClientKeyId', render: (row) => h('span', { class: 'mono small break-all' }, orDash(row.ClientKeyId)) },
  { title: () => t('access.endpoint.columns.source'), key: 'SourceAddress', width: 120, render: (row) => h('span', { class: 'mono' }, row.SourceAddress) },
  {
    title: () => t('access.endpoint.columns.outcome'),
    key: 'Outcome',
    width: 190,
    render: (row) =>
      h(
        NTag,
        { size: 'small', bordered: false, type: row.Outcome === 'SUCCESS' ? 'success' : 'error', 'data-testid': 'application-call-outcome' },
        () => (row.Outcome === 'SUCCESS' ? 'SUCCESS' : `FAILURE ${row.ErrorCode}`),
      ),
  },
];
