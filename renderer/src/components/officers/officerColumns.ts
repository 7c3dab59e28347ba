import { h } from 'vue';
import { NButton, NTag, type DataTableColumns } from 'naive-ui';
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
    { title: 'Name', key: 'Name', width: 110, render: (row) => h('span', { 'data-testid': 'officer-row-name' }, row.Name) },
    {
      title: 'Roles',
      key: 'Roles',
      width: 170,
      render: (row) => h('div', { class: 'tags' }, row.Roles.map((role) => h(NTag, { size: 'tiny', bordered: false }, () => role))),
    },
    {
      title: 'State',
      key: 'State',
      width: 100,
      render: (row) => h(NTag, { size: 'small', type: row.State === 'ENABLED' ? 'success' : 'default', 'data-testid': 'officer-row-state' }, () => row.State),
    },
    { title: 'Key', key: 'KeySpec', width: 90 },
    {
      title: 'Fingerprint (SHA-256)',
      key: 'PublicKeyFingerprint',
      width: 230,
      render: (row) => h(CopyValue, { value: row.PublicKeyFingerprint, shown: shortHex(row.PublicKeyFingerprint), label: 'Fingerprint', testid: 'officer-row-fingerprint' }),
    },
    { title: 'Approval key', key: 'Token', render: (row) => h('span', { class: 'small', 'data-testid': 'officer-row-token' }, keyLocation(row, actions.moduleName)) },
    { title: 'Created', key: 'CreationDate', width: 170, render: (row) => h('span', { class: 'small' }, formatUtc(row.CreationDate)) },
    {
      title: '',
      key: 'actions',
      width: 90,
      render: (row) =>
        row.State === 'ENABLED'
          ? h(
              NButton,
              { size: 'tiny', quaternary: true, type: 'error', 'data-testid': 'officer-disable', 'aria-label': `Disable ${row.Name}`, onClick: () => actions.disable(row) },
              () => 'Disable',
            )
          : null,
    },
  ];
}
