import { h, type VNodeChild } from 'vue';
import { NButton, NTag, type DataTableColumns } from 'naive-ui';
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
    h(NButton, { size: 'tiny', secondary: true, 'aria-label': `Edit ${label}`, 'data-testid': `${testidPrefix}-edit`, onClick: () => actions.edit(row) }, () => 'Edit'),
    h(
      NButton,
      { size: 'tiny', quaternary: true, type: 'error', 'aria-label': `Delete ${label}`, 'data-testid': `${testidPrefix}-delete`, onClick: () => actions.remove(row) },
      () => 'Delete',
    ),
  ]);
}

export function networkRuleColumns(actions: RowActions<NetworkRule>): DataTableColumns<NetworkRule> {
  return [
    { title: 'Name', key: 'Name', width: 180, render: (row) => nameCell('network-rule-name', row.Name) },
    { title: 'Source addresses', key: 'SourcePrivateIp', render: (row) => tags(row.SourcePrivateIp, 'network-rule-addresses') },
    { title: 'Used by policies', key: 'Policies', width: 200, render: (row) => tags(row.Policies, 'network-rule-policies') },
    { title: 'Description', key: 'Description', render: (row) => orDash(row.Description) },
    { title: 'Updated', key: 'UpdatedAt', width: 200, render: (row) => formatUtc(row.UpdatedAt) },
    { title: 'Actions', key: 'actions', width: 130, render: (row) => actionButtons(row.Name, row, actions, 'network-rule') },
  ];
}

export function policyColumns(actions: RowActions<AccessPolicy>): DataTableColumns<AccessPolicy> {
  return [
    { title: 'Name', key: 'Name', width: 160, render: (row) => nameCell('policy-name', row.Name) },
    { title: 'Permissions', key: 'Permissions', width: 170, render: (row) => tags(row.Permissions.map(permissionShortName), 'policy-permissions') },
    { title: 'Resources', key: 'Resources', render: (row) => tags(row.Resources, 'policy-resources') },
    { title: 'Network rules', key: 'NetworkRules', width: 160, render: (row) => tags(row.AccessControlRules.NetworkRules, 'policy-network-rules') },
    { title: 'Access points', key: 'AccessPoints', width: 150, render: (row) => tags(row.AccessPoints, 'policy-access-points') },
    { title: 'Actions', key: 'actions', width: 130, render: (row) => actionButtons(row.Name, row, actions, 'policy') },
  ];
}

/** `clientKeys` renders an access point's expanded row: its client keys. */
export function accessPointColumns(actions: RowActions<AccessPoint>, clientKeys: (row: AccessPoint) => VNodeChild): DataTableColumns<AccessPoint> {
  return [
    { type: 'expand', renderExpand: clientKeys },
    { title: 'Name', key: 'Name', width: 180, render: (row) => nameCell('access-point-name', row.Name) },
    { title: 'Policies', key: 'Policies', render: (row) => tags(row.Policies, 'access-point-policies') },
    { title: 'Authentication', key: 'AuthenticationMethod', width: 130 },
    { title: 'Client keys', key: 'ClientKeyCount', width: 100, align: 'right' },
    { title: 'Description', key: 'Description', render: (row) => orDash(row.Description) },
    { title: 'Created', key: 'CreatedAt', width: 200, render: (row) => formatUtc(row.CreatedAt) },
    { title: 'Actions', key: 'actions', width: 130, render: (row) => actionButtons(row.Name, row, actions, 'access-point') },
  ];
}
