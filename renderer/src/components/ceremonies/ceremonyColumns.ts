import { h } from 'vue';
import { RouterLink } from 'vue-router';
import { NButton, NTag, type DataTableColumns } from 'naive-ui';
import type { CeremonyScriptSummary, CeremonySummary } from '../../lib/ceremonies';
import { formatUtc, orDash } from '../../lib/format';
import { shortHex } from '../../lib/quorum';
import { CeremonyStateTag } from './ceremony-state-tags';

/** The scripts table: what each script needs, where it came from, and starting a ceremony from it. */
export function scriptColumns(start: (script: CeremonyScriptSummary) => void): DataTableColumns<CeremonyScriptSummary> {
  return [
    { title: 'Name', key: 'Name', width: 190, render: (row) => h('span', { class: 'mono', 'data-testid': 'ceremony-script-name' }, row.Name) },
    {
      title: 'Title',
      key: 'Title',
      render: (row) => h('div', [h('div', row.Title), row.Description ? h('div', { class: 'small' }, row.Description) : null]),
    },
    {
      title: 'Roles',
      key: 'Roles',
      width: 230,
      render: (row) =>
        h(
          'div',
          { class: 'tags', 'data-testid': 'ceremony-script-roles' },
          row.Script.Roles.map(({ Role, Count }) => h(NTag, { size: 'tiny', bordered: false, style: 'margin: 0 4px 2px 0' }, () => `${Role} ×${Count}`)),
        ),
    },
    { title: 'Steps', key: 'Steps', width: 60, render: (row) => String(row.Script.Steps.length) },
    {
      title: 'Source',
      key: 'BuiltIn',
      width: 90,
      render: (row) => h(NTag, { size: 'small', bordered: false, type: row.BuiltIn ? 'info' : 'default', 'data-testid': 'ceremony-script-source' }, () => (row.BuiltIn ? 'built-in' : 'imported')),
    },
    { title: 'SHA-256', key: 'Sha256', width: 130, render: (row) => h('span', { class: 'mono', title: row.Sha256 }, shortHex(row.Sha256)) },
    {
      title: '',
      key: 'start',
      width: 80,
      render: (row) =>
        // Opens the start dialog of this script
        h(NButton, { size: 'tiny', type: 'primary', 'data-testid': 'ceremony-script-start', 'aria-label': `Start ${row.Name}`, onClick: () => start(row) }, () => 'Start…'),
    },
  ];
}

/** The ceremonies table, newest first: each links to its checklist. */
export function ceremonyColumns(): DataTableColumns<CeremonySummary> {
  return [
    {
      title: 'Ceremony',
      key: 'CeremonyId',
      width: 330,
      render: (row) =>
        // Opens the ceremony's checklist
        h(RouterLink, { to: `/ceremonies/${row.CeremonyId}`, class: 'key-link mono', 'data-testid': 'ceremony-link' }, () => row.CeremonyId),
    },
    { title: 'Script', key: 'ScriptTitle', render: (row) => h('span', { 'data-testid': 'ceremony-row-script' }, row.ScriptTitle) },
    { title: 'State', key: 'State', width: 120, render: (row) => h('span', { 'data-testid': 'ceremony-row-state' }, [h(CeremonyStateTag, { state: row.State })]) },
    { title: 'Next step', key: 'CurrentStepId', width: 170, render: (row) => h('span', { class: 'mono' }, orDash(row.CurrentStepId)) },
    { title: 'Started', key: 'StartedAt', width: 190, render: (row) => h('span', { class: 'small' }, `${formatUtc(row.StartedAt)} · ${row.StartedBy}`) },
    { title: 'Ended', key: 'EndedAt', width: 160, render: (row) => h('span', { class: 'small' }, row.EndedAt ? formatUtc(row.EndedAt) : orDash(null)) },
  ];
}
