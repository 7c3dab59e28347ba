import { ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { KeyListEntry, KeyMetadata, OperationInput } from '../../../shared/contract';
import { invoke } from '../api/client';
import { emptyKeyFilters, toListFilters, type KeyFilters } from '../lib/key-filters';
import type { RowRange } from '../lib/page-window';
import { RemotePager } from '../lib/remote-pager';
import { useProgressStore } from './progress';

export type CreateKeyRequest = OperationInput<'CreateKey'>;
export type { KeyFilters };

/** ListKeys' largest page: fewest round trips while scrolling. */
export const KEY_PAGE_SIZE = 100;

/**
 * The Keys page: a window over ListKeys that may hold 100k keys. Only the pages in view are fetched
 * (and a bounded number kept); a filter change starts over from page 1, which also gives the total.
 */
export const useKeysStore = defineStore('keys', () => {
  /** Bumped whenever pages arrive or go: what rowAt's readers re-render on. */
  const revision = shallowRef(0);
  const total = ref(0);
  const loaded = ref(false);
  const loading = ref(false);
  const filters = ref<KeyFilters>(emptyKeyFilters());

  const pager = new RemotePager<KeyListEntry>(
    KEY_PAGE_SIZE,
    async (page) => {
      const output = await invoke('ListKeys', { PageNumber: page, PageSize: KEY_PAGE_SIZE, Filters: toListFilters(filters.value) });
      return { rows: output.Keys, total: output.TotalCount };
    },
    () => {
      total.value = pager.total;
      revision.value++;
    },
  );

  /** Starts over: drops every page and reads the first one (and the total) again. */
  async function reload(): Promise<void> {
    loading.value = true;
    let current = true;
    try {
      current = await pager.reset();
      if (current) loaded.value = true;
    } finally {
      if (current) loading.value = false;
    }
  }

  async function ensureRange(range: RowRange): Promise<void> {
    await pager.ensure(range);
  }

  /** The key at a row index, or undefined while its page is on its way. */
  function rowAt(index: number): KeyListEntry | undefined {
    void revision.value;
    return pager.rowAt(index);
  }

  async function applyFilters(next: KeyFilters): Promise<void> {
    filters.value = next;
    await reload();
  }

  /** CreateKey; an `Alias` in the request is created in the same transaction (a taken name creates nothing). */
  async function create(request: CreateKeyRequest): Promise<KeyMetadata> {
    const progress = useProgressStore();
    try {
      return (await invoke('CreateKey', request)).KeyMetadata;
    } finally {
      progress.clear('CreateKey');
    }
  }

  return { total, loaded, loading, filters, revision, reload, ensureRange, rowAt, applyFilters, create };
});
