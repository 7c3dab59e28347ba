import { h } from 'vue';
import { RouterLink } from 'vue-router';
import type { DataTableColumns } from 'naive-ui';
import type { KeyListEntry } from '../../../../shared/contract';
import { formatUtc } from '../../lib/format';
import KeyStateTag from '../KeyStateTag.vue';

/** Columns of the Keys table. */
export const keyColumns: DataTableColumns<KeyListEntry> = [
  {
    title: 'Key ID',
    key: 'KeyId',
    width: 310,
    render: (row) =>
      h(RouterLink, { to: `/keys/${encodeURIComponent(row.KeyId)}`, class: 'mono key-link', 'data-testid': 'key-link' }, () => row.KeyId),
  },
  { title: 'Alias', key: 'Aliases', ellipsis: { tooltip: true }, render: (row) => row.Aliases[0] ?? '—' },
  { title: 'Key spec', key: 'KeySpec', width: 140, render: (row) => h('span', { class: 'mono' }, row.KeySpec) },
  { title: 'Usage', key: 'KeyUsage', width: 160 },
  { title: 'State', key: 'KeyState', width: 130, render: (row) => h(KeyStateTag, { state: row.KeyState }) },
  { title: 'Protection', key: 'ProtectionLevel', width: 100 },
  { title: 'Created', key: 'CreationDate', width: 200, render: (row) => formatUtc(row.CreationDate) },
];
