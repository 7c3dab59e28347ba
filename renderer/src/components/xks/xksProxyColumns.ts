import { h, type VNodeChild } from 'vue';
import { NButton, NTag, type DataTableColumns } from 'naive-ui';
import type { AuditEvent } from '../../../../shared/contract';
import { currentLocale, t } from '../../i18n';
import '../../i18n/areas/access';
import { formatUtc, orDash } from '../../lib/format';
import { xksCaller, xksCallProxyName } from '../../lib/xks-proxies';
import type { XksProxy } from '../../stores/xks-proxies';

export interface XksProxyActions {
  rotate(proxy: XksProxy): void;
  retire(proxy: XksProxy): void;
  remove(proxy: XksProxy): void;
}

function mono(text: string, testid: string): VNodeChild {
  return h('span', { class: 'mono', 'data-testid': testid }, text);
}

function actionButton(label: string, testid: string, onClick: () => void, extra: Record<string, unknown> = {}): VNodeChild {
  return h(NButton, { size: 'tiny', secondary: true, 'data-testid': testid, onClick, ...extra }, () => label);
}

/** `detail` renders a proxy's expanded row: its URI, credentials and keys. */
export function xksProxyColumns(actions: XksProxyActions, detail: (proxy: XksProxy) => VNodeChild): DataTableColumns<XksProxy> {
  return [
    { type: 'expand', renderExpand: detail },
    { title: () => t('common.name'), key: 'Name', width: 150, render: (row) => mono(row.Name, 'xks-proxy-name') },
    { title: () => t('access.xks.columns.uriPath'), key: 'UriPath', width: 150, render: (row) => mono(row.UriPath, 'xks-proxy-uri-path') },
    { title: () => t('access.xks.columns.keyStore'), key: 'KeyStoreId', width: 150, render: (row) => mono(row.KeyStoreId, 'xks-proxy-key-store') },
    {
      title: () => t('access.xks.columns.credentials'),
      key: 'AccessKeyIds',
      render: (row) => h('div', { class: 'mono', 'data-testid': 'xks-proxy-access-key-ids' }, row.AccessKeyIds.map((id) => h('div', id))),
    },
    { title: () => t('access.xks.columns.keys'), key: 'Keys', width: 60, align: 'right', render: (row) => row.Keys.length.toLocaleString(currentLocale()) },
    { title: () => t('common.created'), key: 'CreatedAt', width: 200, render: (row) => formatUtc(row.CreatedAt) },
    {
      title: () => t('common.actions'),
      key: 'actions',
      width: 200,
      render: (row) =>
        h('div', { style: 'display:flex;gap:4px' }, [
          actionButton(t('access.xks.rotate'), 'xks-proxy-rotate', () => actions.rotate(row), {
            'aria-label': t('access.xks.columns.rotateNamed', { name: row.Name }),
          }),
          actionButton(t('access.xks.retire'), 'xks-proxy-retire', () => actions.retire(row), {
            disabled: row.AccessKeyIds.length < 2,
            'aria-label': t('access.xks.columns.retireNamed', { name: row.Name }),
            title: row.AccessKeyIds.length < 2 ? t('access.xks.columns.oneCredential') : t('access.xks.columns.retireHint'),
          }),
          actionButton(t('common.delete'), 'xks-proxy-delete', () => actions.remove(row), {
            quaternary: true,
            secondary: false,
            type: 'error',
            'aria-label': t('access.deleteNamed', { name: row.Name }),
          }),
        ]),
    },
  ];
}

/** The latest XKS calls, from the audit log: which proxy and credential did what, and how it ended. */
export function xksCallColumns(proxies: readonly XksProxy[]): DataTableColumns<AuditEvent> {
  return [
    { title: () => t('access.xks.callColumns.time'), key: 'Time', width: 200, render: (row) => formatUtc(row.Time) },
    { title: () => t('access.xks.callColumns.operation'), key: 'Operation', width: 170, render: (row) => h('span', { 'data-testid': 'xks-call-operation' }, row.Operation) },
    { title: () => t('access.xks.callColumns.proxy'), key: 'proxy', width: 140, render: (row) => h('span', { 'data-testid': 'xks-call-proxy' }, orDash(xksCallProxyName(row, proxies))) },
    { title: () => t('access.xks.callColumns.accessKeyId'), key: 'accessKeyId', width: 200, render: (row) => mono(orDash(xksCaller(row.Actor).accessKeyId), 'xks-call-access-key-id') },
    { title: () => t('access.xks.callColumns.key'), key: 'ResourceId', ellipsis: { tooltip: true }, render: (row) => h('span', { class: 'mono small' }, orDash(row.ResourceId)) },
    {
      title: () => t('access.xks.callColumns.outcome'),
      key: 'Outcome',
      width: 280,
      render: (row) =>
        h(
          NTag,
          { size: 'small', bordered: false, type: row.Outcome === 'SUCCESS' ? 'success' : 'error', 'data-testid': 'xks-call-outcome' },
          () => (row.Outcome === 'SUCCESS' ? 'SUCCESS' : `FAILURE ${row.ErrorCode}`),
        ),
    },
  ];
}
