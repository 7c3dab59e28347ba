import { h } from 'vue';
import { NButton, NTag, type DataTableColumns } from 'naive-ui';
import { t } from '../../i18n';
import '../../i18n/areas/ceremonies';
import { formatUtc } from '../../lib/format';
import { keyLocation, shortHex, type Officer } from '../../lib/quorum';
import CopyValue from './CopyValue.vue';

interface Actions {
  disable(officer: Officer): void;
  /** The registered module's name, when the console knows it. */
  moduleName(moduleId: string): string | undefined;
}

/** Columns of the officers table: who, what they may do, and the approval key they hold. */
export function officerColumns(actions: Actions): DataTableColumns<Officer> {
  return [
    { title: () => t('common.name'), key: 'Name', width: 110, render: (row) => h('span', { 'data-testid': 'officer-row-name' }, row.Name) },
    {
      title: () => t('ceremonies.officerColumns.roles'),
      key: 'Roles',
      width: 170,
      render: (row) => h('div', { class: 'tags' }, row.Roles.map((role) => h(NTag, { size: 'tiny', bordered: false }, () => role))),
    },
    {
      title: () => t('common.state'),
      key: 'State',
      width: 100,
      render: (row) => h(NTag, { size: 'small', type: row.State === 'ENABLED' ? 'success' : 'default', 'data-testid': 'officer-row-state' }, () => row.State),
    },
    { title: () => t('ceremonies.officerColumns.key'), key: 'KeySpec', width: 90 },
    {
      title: () => t('ceremonies.officerColumns.fingerprint'),
      key: 'PublicKeyFingerprint',
      width: 230,
      render: (row) => h(CopyValue, { value: row.PublicKeyFingerprint, shown: shortHex(row.PublicKeyFingerprint), label: t('ceremonies.officerColumns.fingerprintLabel'), testid: 'officer-row-fingerprint' }),
    },
    { title: () => t('ceremonies.officerColumns.approvalKey'), key: 'Token', render: (row) => h('span', { class: 'small', 'data-testid': 'officer-row-token' }, keyLocation(row, actions.moduleName)) },
    { title: () => t('common.created'), key: 'CreationDate', width: 170, render: (row) => h('span', { class: 'small' }, formatUtc(row.CreationDate)) },
    {
      title: '',
      key: 'actions',
      width: 90,
      render: (row) =>
        row.State === 'ENABLED'
          ? h(
              NButton,
              { size: 'tiny', quaternary: true, type: 'error', 'data-testid': 'officer-disable', 'aria-label': t('ceremonies.officerColumns.disableAria', { name: row.Name }), onClick: () => actions.disable(row) },
              () => t('ceremonies.officerColumns.disable'),
            )
          : null,
    },
  ];
}
