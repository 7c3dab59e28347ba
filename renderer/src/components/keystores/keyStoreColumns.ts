import { h, type VNode } from 'vue';
import { RouterLink } from 'vue-router';
import { NButton, NTag, type DataTableColumns } from 'naive-ui';
import type { KeyStore } from '../../stores/keystores';
import { formatUtc } from '../../lib/format';
import { t } from '../../i18n';
import '../../i18n/areas/clusters';
import { ConnectionStateTag } from '../state-tags';

interface Actions {
  connect(store: KeyStore): void;
  disconnect(store: KeyStore): void;
  busyId(): string | null;
  /** The key store's cluster is a single-HSM lab cluster. */
  isLab(store: KeyStore): boolean;
}

/** The type and protection level, and for an external key store the XKS proxy it calls (endpoint + path). */
function renderType(row: KeyStore): VNode {
  const proxy = row.XksProxyConfiguration;
  return h('div', [
    h('div', { class: 'mono', 'data-testid': 'keystore-type' }, row.KeyStoreType),
    h('div', { class: 'small' }, t('clusters.storeColumns.protection', { level: row.ProtectionLevel })),
    proxy ? h('div', { class: 'mono small break-all', 'data-testid': 'keystore-proxy-uri' }, `${proxy.UriEndpoint}${proxy.UriPath}`) : null,
  ]);
}

/** The connection state, and below it why the last connection failed. */
function renderConnection(row: KeyStore): VNode {
  return h('div', [
    h(ConnectionStateTag, { state: row.ConnectionState }),
    row.ConnectionErrorCode
      ? h('div', { style: 'margin-top:4px' }, [h(NTag, { size: 'small', type: 'error', bordered: false, 'data-testid': 'keystore-row-error' }, () => row.ConnectionErrorCode)])
      : null,
  ]);
}

/** What the last call to an external key store's proxy found: when, its error code (or that it answered), the vendor. */
function renderHealth(row: KeyStore): VNode | string {
  if (row.KeyStoreType !== 'EXTERNAL_KEY_STORE') return '';
  const health = row.XksProxyHealth;
  if (!health) return h('span', { class: 'small', 'data-testid': 'keystore-health' }, t('clusters.storeColumns.notChecked'));
  return h('div', { 'data-testid': 'keystore-health' }, [
    health.ErrorCode
      ? h(NTag, { size: 'small', type: 'error', bordered: false, 'data-testid': 'keystore-health-error' }, () => health.ErrorCode)
      : h(NTag, { size: 'small', type: 'success', bordered: false }, () => t('clusters.words.answered')),
    h('div', { class: 'small' }, formatUtc(health.CheckedAt)),
    health.XksProxyVendor ? h('div', { class: 'small', 'data-testid': 'keystore-health-vendor' }, t('clusters.storeColumns.vendor', { vendor: health.XksProxyVendor })) : null,
  ]);
}

/** Columns of the key store table; Connect/Disconnect follow the connection state. */
export function keyStoreColumns(actions: Actions): DataTableColumns<KeyStore> {
  return [
    {
      title: () => t('common.name'),
      key: 'KeyStoreName',
      minWidth: 180,
      render: (row) =>
        h('div', [
          h(RouterLink, { to: `/keystores/${row.KeyStoreId}`, class: 'key-link', 'data-testid': 'keystore-link' }, () => row.KeyStoreName),
          actions.isLab(row) ? h(NTag, { size: 'tiny', type: 'warning', bordered: false, style: 'margin-left:6px' }, () => 'LAB') : null,
          h('div', { class: 'mono small break-all' }, row.KeyStoreId),
        ]),
    },
    { title: () => t('clusters.storeColumns.type'), key: 'KeyStoreType', width: 200, render: renderType },
    { title: () => t('clusters.storeColumns.connection'), key: 'ConnectionState', width: 240, render: renderConnection },
    { title: () => t('clusters.storeColumns.lastHealth'), key: 'XksProxyHealth', width: 190, render: renderHealth },
    { title: () => t('clusters.storeColumns.keys'), key: 'KeyCount', width: 60, align: 'right' },
    {
      title: () => t('common.actions'),
      key: 'actions',
      width: 110,
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
            'aria-label': t(connected ? 'clusters.words.disconnectNamed' : 'clusters.words.connectNamed', { name: row.KeyStoreName }),
            onClick: () => (connected ? actions.disconnect(row) : actions.connect(row)),
          },
          () => (connected ? t('clusters.words.disconnect') : t('clusters.words.connect')),
        );
      },
    },
  ];
}
