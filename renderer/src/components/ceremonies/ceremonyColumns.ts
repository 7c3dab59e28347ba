import { h } from 'vue';
import { RouterLink } from 'vue-router';
import { NButton, NTag, type DataTableColumns } from 'naive-ui';
import { t } from '../../i18n';
import '../../i18n/areas/ceremonies';
import type { CeremonyScriptSummary, CeremonySummary } from '../../lib/ceremonies';
import { formatUtc, orDash } from '../../lib/format';
import { shortHex } from '../../lib/quorum';
import { CeremonyStateTag } from './ceremony-state-tags';

/** The scripts table: what each script needs, where it came from, and starting a ceremony from it. */
export function scriptColumns(start: (script: CeremonyScriptSummary) => void): DataTableColumns<CeremonyScriptSummary> {
  return [
    { title: () => t('common.name'), key: 'Name', width: 190, render: (row) => h('span', { class: 'mono', 'data-testid': 'ceremony-script-name' }, row.Name) },
    {
      title: () => t('ceremonies.columns.title'),
      key: 'Title',
      // The script's own words, shown as published (its SHA-256 covers them): never translated.
      render: (row) => h('div', { translate: 'no' }, [h('div', row.Title), row.Description ? h('div', { class: 'small' }, row.Description) : null]),
    },
    {
      title: () => t('ceremonies.columns.roles'),
      key: 'Roles',
      width: 230,
      render: (row) =>
        h(
          'div',
          { class: 'tags', 'data-testid': 'ceremony-script-roles' },
          row.Script.Roles.map(({ Role, Count }) => h(NTag, { size: 'tiny', bordered: false, style: 'margin: 0 4px 2px 0' }, () => `${Role} ×${Count}`)),
        ),
    },
    { title: () => t('ceremonies.columns.steps'), key: 'Steps', width: 60, render: (row) => String(row.Script.Steps.length) },
    {
      title: () => t('ceremonies.columns.source'),
      key: 'BuiltIn',
      width: 90,
      render: (row) => h(NTag, { size: 'small', bordered: false, type: row.BuiltIn ? 'info' : 'default', 'data-testid': 'ceremony-script-source' }, () => (row.BuiltIn ? t('ceremonies.columns.builtIn') : t('ceremonies.columns.imported'))),
    },
    { title: 'SHA-256', key: 'Sha256', width: 130, render: (row) => h('span', { class: 'mono', title: row.Sha256 }, shortHex(row.Sha256)) },
    {
      title: '',
      key: 'start',
      width: 80,
      render: (row) =>
        // Opens the start dialog of this script
        h(NButton, { size: 'tiny', type: 'primary', 'data-testid': 'ceremony-script-start', 'aria-label': t('ceremonies.columns.startAria', { name: row.Name }), onClick: () => start(row) }, () => t('ceremonies.columns.start')),
    },
  ];
}

/** The ceremonies table, newest first: each links to its checklist. */
export function ceremonyColumns(): DataTableColumns<CeremonySummary> {
  return [
    {
      title: () => t('ceremonies.columns.ceremony'),
      key: 'CeremonyId',
      width: 330,
      render: (row) =>
        // Opens the ceremony's checklist
        h(RouterLink, { to: `/ceremonies/${row.CeremonyId}`, class: 'key-link mono', 'data-testid': 'ceremony-link' }, () => row.CeremonyId),
    },
    { title: () => t('ceremonies.columns.script'), key: 'ScriptTitle', render: (row) => h('span', { 'data-testid': 'ceremony-row-script', translate: 'no' }, row.ScriptTitle) },
    { title: () => t('common.state'), key: 'State', width: 120, render: (row) => h('span', { 'data-testid': 'ceremony-row-state' }, [h(CeremonyStateTag, { state: row.State })]) },
    { title: () => t('ceremonies.columns.nextStep'), key: 'CurrentStepId', width: 170, render: (row) => h('span', { class: 'mono' }, orDash(row.CurrentStepId)) },
    { title: () => t('ceremonies.columns.started'), key: 'StartedAt', width: 190, render: (row) => h('span', { class: 'small' }, `${formatUtc(row.StartedAt)} · ${row.StartedBy}`) },
    { title: () => t('ceremonies.columns.ended'), key: 'EndedAt', width: 160, render: (row) => h('span', { class: 'small' }, row.EndedAt ? formatUtc(row.EndedAt) : orDash(null)) },
  ];
}
