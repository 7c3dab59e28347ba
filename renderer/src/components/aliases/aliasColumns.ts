import { h } from 'vue';
import { RouterLink } from 'vue-router';
import { NButton, NTag, type DataTableColumns } from 'naive-ui';
import { t } from '../../i18n';
import '../../i18n/areas/keys';
import { isReservedAlias } from '../../lib/alias-list';
import type { Alias } from '../../stores/aliases';

interface Actions {
  update(alias: Alias): void;
  remove(alias: Alias): void;
}

/** Columns of the aliases table; Keyward's own aliases are shown without the actions the service refuses. */
export function aliasColumns(actions: Actions): DataTableColumns<Alias> {
  return [
    {
      title: () => t('keys.aliases.columns.alias'),
      key: 'AliasName',
      render: (row) =>
        h('div', [
          h('span', { class: 'mono', 'data-testid': 'alias-row-name' }, row.AliasName),
          isReservedAlias(row.AliasName)
            ? h(NTag, { size: 'tiny', bordered: false, style: 'margin-left:6px', 'data-testid': 'alias-reserved' }, () => 'KEYWARD')
            : null,
          h('div', { class: 'mono small' }, row.AliasArn),
        ]),
    },
    {
      title: () => t('keys.aliases.columns.key'),
      key: 'KeyId',
      width: 330,
      render: (row) =>
        h(RouterLink, { to: `/keys/${row.KeyId}`, class: 'key-link mono', 'data-testid': 'alias-row-key' }, () => row.KeyId),
    },
    {
      title: '',
      key: 'actions',
      width: 230,
      render: (row) =>
        isReservedAlias(row.AliasName)
          ? h('span', { class: 'small' }, t('keys.aliases.managedByKeyward'))
          : h('div', { class: 'row-actions' }, [
              h(
                NButton,
                { size: 'tiny', 'data-testid': 'alias-update', 'aria-label': t('keys.aliases.pointAt', { alias: row.AliasName }), onClick: () => actions.update(row) },
                () => t('keys.aliases.changeKey'),
              ),
              h(
                NButton,
                {
                  size: 'tiny',
                  quaternary: true,
                  type: 'error',
                  'data-testid': 'alias-delete',
                  'aria-label': t('keys.aliases.deleteAlias', { alias: row.AliasName }),
                  onClick: () => actions.remove(row),
                },
                () => t('common.delete'),
              ),
            ]),
    },
  ];
}
