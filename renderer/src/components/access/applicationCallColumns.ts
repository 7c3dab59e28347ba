import { h } from 'vue';
import { NTag, type DataTableColumns } from 'naive-ui';
import { formatUtc, orDash } from '../../lib/format';
import type { ApplicationCall } from '../../stores/app-endpoint';

/** The endpoint card's latest application calls: who (AAP, client key, address) did what, and how it ended. */
export const applicationCallColumns: DataTableColumns<ApplicationCall> = [
  { title: 'Time', key: 'Time', width: 180, render: (row) => formatUtc(row.Time) },
  { title: 'Operation', key: 'Operation', width: 150, render: (row) => h('span', { 'data-testid': 'application-call-operation' }, row.Operation) },
  { title: 'Resource', key: 'Resource', render: (row) => h('span', { class: 'mono small break-all' }, orDash(row.Resource)) },
  { title: 'Access point', key: 'AapName', width: 130, render: (row) => orDash(row.AapName) },
  { title: 'Client key', key: 'ClientKeyId', render: (row) => h('span', { class: 'mono small break-all' }, orDash(row.ClientKeyId)) },
  { title: 'Source', key: 'SourceAddress', width: 120, render: (row) => h('span', { class: 'mono' }, row.SourceAddress) },
  {
    title: 'Outcome',
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
