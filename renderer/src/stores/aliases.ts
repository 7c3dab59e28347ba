import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { OperationResult } from '../../../shared/contract';
import { invoke } from '../api/client';
import type { KeyChoice } from '../lib/alias-list';
import { rereadAfterChange } from './reread';

export type Alias = OperationResult<'ListAliases'>['Aliases'][number];

/** Keys offered per search: the picker narrows by typing rather than scrolling thousands. */
const KEY_CHOICES = 20;

/** Every alias (remote pages of ListAliases), moving one to another key, and deleting one. */
export const useAliasesStore = defineStore('aliases', () => {
  const aliases = ref<Alias[]>([]);
  const total = ref(0);
  const page = ref(1);
  const pageSize = ref(50);
  const loading = ref(false);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const output = await invoke('ListAliases', { PageNumber: page.value, PageSize: pageSize.value });
      aliases.value = output.Aliases;
      total.value = output.TotalCount;
    } finally {
      loading.value = false;
    }
  }

  async function goTo(nextPage: number, nextSize = pageSize.value): Promise<void> {
    page.value = nextSize === pageSize.value ? nextPage : 1;
    pageSize.value = nextSize;
    await load();
  }

  async function update(aliasName: string, keyId: string): Promise<void> {
    await invoke('UpdateAlias', { AliasName: aliasName, KeyId: keyId });
    await rereadAfterChange(load());
  }

  async function remove(aliasName: string): Promise<void> {
    await invoke('DeleteAlias', { AliasName: aliasName });
    await rereadAfterChange(load());
  }

  /** Keys matching what the officer typed (ListKeys' text search: id, alias or description). */
  async function searchKeys(text: string): Promise<KeyChoice[]> {
    const typed = text.trim();
    const output = await invoke('ListKeys', {
      PageNumber: 1,
      PageSize: KEY_CHOICES,
      Filters: typed ? [{ Key: 'Text', Values: [typed] }] : [],
    });
    return output.Keys;
  }

  return { aliases, total, page, pageSize, loading, load, goTo, update, remove, searchKeys };
});
