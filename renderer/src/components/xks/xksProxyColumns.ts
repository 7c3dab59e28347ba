import { h, type VNodeChild } from 'vue';
import { NButton, NTag, type DataTableColumns } from 'naive-ui';
import type { AuditEvent } from '../../../../shared/contract';
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
    { title: 'Name', key: 'Name', width: 150, render: (row) => mono(row.Name, 'xks-proxy-name') },
    { title: 'URI path', key: 'UriPath', width: 150, render: (row) => mono(row.UriPath, 'xks-proxy-uri-path') },
    { title: 'Key store', key: 'KeyStoreId', width: 150, render: (row) => mono(row.KeyStoreId, 'xks-proxy-key-store') },
    {
      title: 'Credentials (newest first)',
      key: 'AccessKeyIds',
      render: (row) => h('div', { class: 'mono', 'data-testid': 'xks-proxy-access-key-ids' }, row.AccessKeyIds.map((id) => h('div', id))),
    },
    { title: 'Keys', key: 'Keys', width: 60, align: 'right', render: (row) => String(row.Keys.length) },
    { title: 'Created', key: 'CreatedAt', width: 200, render: (row) => formatUtc(row.CreatedAt) },
    {
      title: 'Actions',
      key: 'actions',
      width: 200,
      render: (row) =>
        h('div', { style: 'display:flex;gap:4px' }, [
          actionButton('Rotate', 'xks-proxy-rotate', () => actions.rotate(row), { 'aria-label': `Rotate the credential of ${row.Name}` }),
          actionButton('Retire', 'xks-proxy-retire', () => actions.retire(row), {
            disabled: row.AccessKeyIds.length < 2,
            'aria-label': `Retire the older credentials of ${row.Name}`,
            title: row.AccessKeyIds.length < 2 ? 'One credential only: rotate first' : 'Retire every credential but the newest',
          }),
          actionButton('Delete', 'xks-proxy-delete', () => actions.remove(row), { quaternary: true, secondary: false, type: 'error', 'aria-label': `Delete ${row.Name}` }),
        ]),
    },
  ];
}

/** The latest XKS calls, from the audit log: which proxy and credential did what, and how it ended. */
export function xksCallColumns(proxies: readonly XksProxy[]): DataTableColumns<AuditEvent> {
  return [
    { title: 'Time', key: 'Time', width: 200, render: (row) => formatUtc(row.Time) },
    { title: 'Operation', key: 'Operation', width: 170, render: (row) => h('span', { 'data-testid': 'xks-call-operation' }, row.Operation) },
    { title: 'Proxy', key: 'proxy', width: 140, render: (row) => h('span', { 'data-testid': 'xks-call-proxy' }, orDash(xksCallProxyName(row, proxies))) },
    { title: 'Access key id', key: 'accessKeyId', width: 200, render: (row) => mono(orDash(xksCaller(row.Actor).accessKeyId), 'xks-call-access-key-id') },
    { title: 'Key', key: 'ResourceId', ellipsis: { tooltip: true }, render: (row) => h('span', { class: 'mono small' }, orDash(row.ResourceId)) },
    {
      title: 'Outcome',
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
