import { h } from 'vue';
import { RouterLink } from 'vue-router';
import { NButton, NTag, type DataTableColumns } from 'naive-ui';
import type { KeyStore } from '../../stores/keystores';
import { formatUtc } from '../../lib/format';
import { ConnectionStateTag } from '../state-tags';

interface Actions {
  connect(store: KeyStore): void;
  disconnect(store: KeyStore): void;
  busyId(): string | null;
  /** The key store's cluster is a single-HSM lab cluster. */
  isLab(store: KeyStore): boolean;
}

/** Columns of the key store table; Connect/Disconnect follow the connection state. */
export function keyStoreColumns(actions: Actions): DataTableColumns<KeyStore> {
  return [
    {
      title: 'Name',
      key: 'KeyStoreName',
      render: (row) =>
        h('div', [
          h(RouterLink, { to: `/keystores/${row.KeyStoreId}`, class: 'key-link', 'data-testid': 'keystore-link' }, () => row.KeyStoreName),
          actions.isLab(row) ? h(NTag, { size: 'tiny', type: 'warning', bordered: false, style: 'margin-left:6px' }, () => 'LAB') : null,
          h('div', { class: 'mono small' }, row.KeyStoreId),
        ]),
    },
    { title: 'Type', key: 'KeyStoreType', width: 130 },
    { title: 'Protection', key: 'ProtectionLevel', width: 110 },
    { title: 'Connection', key: 'ConnectionState', width: 140, render: (row) => h(ConnectionStateTag, { state: row.ConnectionState }) },
    {
      title: 'Error',
      key: 'ConnectionErrorCode',
      width: 190,
      render: (row) =>
        row.ConnectionErrorCode ? h(NTag, { size: 'small', type: 'error', bordered: false }, () => row.ConnectionErrorCode) : '—',
    },
    { title: 'Keys', key: 'KeyCount', width: 70, align: 'right' },
    { title: 'Created', key: 'CreationDate', width: 200, render: (row) => formatUtc(row.CreationDate) },
    {
      title: 'Actions',
      key: 'actions',
      width: 120,
      render: (row) => {
        const connected = row.ConnectionState === 'CONNECTED';
        return h(
          NButton,
          {
            size: 'tiny',
            secondary: true,
            type: connected ? 'default' : 'primary',
            loading: actions.busyId() === row.KeyStoreId,
            disabled: !row.Initialized,
            'data-testid': connected ? 'keystore-disconnect' : 'keystore-connect',
            'aria-label': `${connected ? 'Disconnect' : 'Connect'} ${row.KeyStoreName}`,
            onClick: () => (connected ? actions.disconnect(row) : actions.connect(row)),
          },
          () => (connected ? 'Disconnect' : 'Connect'),
        );
      },
    },
  ];
}
