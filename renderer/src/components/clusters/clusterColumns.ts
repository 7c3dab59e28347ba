import { h } from 'vue';
import { RouterLink } from 'vue-router';
import { NButton, NTag, type DataTableColumns } from 'naive-ui';
import { formatUtc } from '../../lib/format';
import { t } from '../../i18n';
import '../../i18n/areas/clusters';
import type { ClusterSummary, HsmDescription } from '../../stores/clusters';
import { ClusterStateTag } from '../state-tags';

/** A cluster is set up once it is active and bound to a key store. */
export function setupComplete(cluster: ClusterSummary): boolean {
  return (cluster.State === 'ACTIVE' || cluster.State === 'DEGRADED') && cluster.KeyStoreId !== null;
}

/** "ui-net-hsm-a · zone-0" for a member's HSM id; the id itself when the cluster has not been read. */
export function memberLabel(hsms: readonly HsmDescription[], hsmId: string): string {
  const hsm = hsms.find((candidate) => candidate.HsmId === hsmId);
  return hsm ? `${hsm.Label || hsm.ModuleName} · ${hsm.Zone}` : hsmId;
}

export function clusterColumns(keyStoreName: (id: string) => string): DataTableColumns<ClusterSummary> {
  return [
    {
      title: () => t('clusters.columns.cluster'),
      key: 'ClusterName',
      minWidth: 300,
      render: (row) =>
        h('div', [
          h(RouterLink, { to: `/clusters/${row.ClusterId}`, class: 'key-link', 'data-testid': 'cluster-link' }, () => row.ClusterName),
          h('div', { class: 'mono small' }, row.ClusterId),
        ]),
    },
    {
      title: () => t('common.state'),
      key: 'State',
      width: 170,
      render: (row) =>
        h('div', { style: 'display:flex;gap:6px' }, [
          h(ClusterStateTag, { state: row.State }),
          row.LabCluster ? h(NTag, { size: 'small', type: 'warning', bordered: false, 'data-testid': 'lab-tag' }, () => 'LAB') : null,
        ]),
    },
    { title: () => t('clusters.columns.hsms'), key: 'HsmCount', width: 60, align: 'right' },
    { title: () => t('clusters.columns.zones'), key: 'Zones', width: 150, ellipsis: { tooltip: true }, render: (row) => (row.Zones.length ? row.Zones.join(t('clusters.separator')) : '—') },
    {
      title: () => t('clusters.columns.keyStore'),
      key: 'KeyStoreId',
      width: 170,
      ellipsis: { tooltip: true },
      render: (row) =>
        row.KeyStoreId ? h(RouterLink, { to: `/keystores/${row.KeyStoreId}`, class: 'key-link' }, () => keyStoreName(row.KeyStoreId ?? '')) : '—',
    },
    { title: () => t('common.created'), key: 'CreationDate', width: 200, render: (row) => formatUtc(row.CreationDate) },
    {
      title: '',
      key: 'setup',
      width: 140,
      render: (row) =>
        setupComplete(row)
          ? null
          : h(RouterLink, { to: `/clusters/${row.ClusterId}/setup`, 'data-testid': 'cluster-continue-setup' }, () =>
              h(NButton, { size: 'tiny', type: 'primary', secondary: true }, () => t('clusters.words.continueSetup')),
            ),
    },
  ];
}
