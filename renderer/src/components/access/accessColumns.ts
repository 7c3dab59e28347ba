import { h, type VNodeChild } from 'vue';
import { NButton, NTag, type DataTableColumns } from 'naive-ui';
import { currentLocale, t } from '../../i18n';
import '../../i18n/areas/access';
import { permissionShortName } from '../../lib/access-forms';
import { formatUtc, orDash } from '../../lib/format';
import type { AccessPoint, AccessPolicy, NetworkRule } from '../../stores/access-points';

export interface RowActions<Row> {
  edit(row: Row): void;
  remove(row: Row): void;
}

/** The name cell: what tests and screen readers find a row by. */
function nameCell(testid: string, name: string): VNodeChild {
  return h('span', { class: 'mono', 'data-testid': testid, 'data-name': name }, name);
}

function tags(values: readonly string[], testid: string): VNodeChild {
  if (values.length === 0) return '—';
  return h(
    'div',
    { class: 'tag-cell', 'data-testid': testid },
    values.map((value) => h(NTag, { size: 'small', bordered: false, style: 'margin:0 4px 2px 0' }, () => value)),
  );
}

function actionButtons<Row>(label: string, row: Row, actions: RowActions<Row>, testidPrefix: string): VNodeChild {
  return h('div', { style: 'display:flex;gap:4px' }, [
    h(
      NButton,
      { size: 'tiny', secondary: true, 'aria-label': t('access.editNamed', { name: label }), 'data-testid': `${testidPrefix}-edit`, onClick: () => actions.edit(row) },
      () => t('common.edit'),
    ),
    h(
      NButton,
      {
        size: 'tiny',
        quaternary: true,
        type: 'error',
        'aria-label': t('access.deleteNamed', { name: label }),
        'data-testid': `${testidPrefix}-delete`,
        onClick: () => actions.remove(row),
      },
      () => t('common.delete'),
    ),
  ]);
}

export function networkRuleColumns(actions: RowActions<NetworkRule>): DataTableColumns<NetworkRule> {
  return [
    { title: () => t('common.name'), key: 'Name', width: 180, render: (row) => nameCell('network-rule-name', row.Name) },
    { title: () => t('access.networkRules.columns.sourceAddresses'), key: 'SourcePrivateIp', render: (row) => tags(row.SourcePrivateIp, 'network-rule-addresses') },
    { title: () => t('access.networkRules.columns.usedByPolicies'), key: 'Policies', width: 200, render: (row) => tags(row.Policies, 'network-rule-policies') },
    { title: () => t('common.description'), key: 'Description', render: (row) => orDash(row.Description) },
    { title: () => t('access.networkRules.columns.updated'), key: 'UpdatedAt', width: 200, render: (row) => formatUtc(row.UpdatedAt) },
    { title: () => t('common.actions'), key: 'actions', width: 130, render: (row) => actionButtons(row.Name, row, actions, 'network-rule') },
  ];
}

export function policyColumns(actions: RowActions<AccessPolicy>): DataTableColumns<AccessPolicy> {
  return [
    { title: () => t('common.name'), key: 'Name', width: 160, render: (row) => nameCell('policy-name', row.Name) },
    {
      title: () => t('access.policies.columns.permissions'),
      key: 'Permissions',
      width: 170,
      render: (row) => tags(row.Permissions.map(permissionShortName), 'policy-permissions'),
    },
    { title: () => t('access.policies.columns.resources'), key: 'Resources', render: (row) => tags(row.Resources, 'policy-resources') },
    {
      title: () => t('access.policies.columns.networkRules'),
      key: 'NetworkRules',
      width: 160,
      render: (row) => tags(row.AccessControlRules.NetworkRules, 'policy-network-rules'),
    },
    { title: () => t('access.policies.columns.accessPoints'), key: 'AccessPoints', width: 150, render: (row) => tags(row.AccessPoints, 'policy-access-points') },
    { title: () => t('common.actions'), key: 'actions', width: 130, render: (row) => actionButtons(row.Name, row, actions, 'policy') },
  ];
}

/** `clientKeys` renders an access point's expanded row: its client keys. */
export function accessPointColumns(actions: RowActions<AccessPoint>, clientKeys: (row: AccessPoint) => VNodeChild): DataTableColumns<AccessPoint> {
  return [
    { type: 'expand', renderExpand: clientKeys },
    { title: () => t('common.name'), key: 'Name', width: 180, render: (row) => nameCell('access-point-name', row.Name) },
    { title: () => t('access.accessPoints.columns.policies'), key: 'Policies', render: (row) => tags(row.Policies, 'access-point-policies') },
    { title: () => t('access.accessPoints.columns.authentication'), key: 'AuthenticationMethod', width: 130 },
    {
      title: () => t('access.accessPoints.columns.clientKeys'),
      key: 'ClientKeyCount',
      width: 100,
      align: 'right',
      render: (row) => row.ClientKeyCount.toLocaleString(currentLocale()),
    },
    { title: () => t('common.description'), key: 'Description', render: (row) => orDash(row.Description) },
    { title: () => t('common.created'), key: 'CreatedAt', width: 200, render: (row) => formatUtc(row.CreatedAt) },
    { title: () => t('common.actions'), key: 'actions', width: 130, render: (row) => actionButtons(row.Name, row, actions, 'access-point') },
  ];
}
