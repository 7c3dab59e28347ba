import { ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { KeyListEntry, KeyMetadata, OperationInput } from '../../../shared/contract';
import { invoke } from '../api/client';
import { emptyKeyFilters, toListFilters, type KeyFilters } from '../lib/key-filters';
import { PageCache, pagesOf, type RowRange } from '../lib/page-window';
import { useProgressStore } from './progress';

export type CreateKeyRequest = OperationInput<'CreateKey'>;
export type { KeyFilters };

export interface CreatedKey {
  metadata: KeyMetadata;
  /** Why CreateAlias failed after the key was created; null when no alias was asked or it succeeded. */
  aliasError: unknown;
}

/** ListKeys' largest page: fewest round trips while scrolling. */
export const KEY_PAGE_SIZE = 100;

/**
 * The Keys page: a window over ListKeys that may hold 100k keys. Only the pages in view are fetched
 * (and a bounded number kept); a filter change starts over from page 1, which also gives the total.
 */
export const useKeysStore = defineStore('keys', () => {
  const cache = new PageCache<KeyListEntry>(KEY_PAGE_SIZE);
  /** Bumped whenever pages arrive or go: what rowAt's readers re-render on. */
  const revision = shallowRef(0);
  const total = ref(0);
  const loaded = ref(false);
  const loading = ref(false);
  const filters = ref<KeyFilters>(emptyKeyFilters());
  const inflight = new Map<number, Promise<void>>();
  let generation = 0;

  async function fetchPage(page: number, mine: number): Promise<void> {
    const output = await invoke('ListKeys', { PageNumber: page, PageSize: KEY_PAGE_SIZE, Filters: toListFilters(filters.value) });
    if (mine !== generation) return;
    total.value = output.TotalCount;
    cache.put(page, output.Keys);
    revision.value++;
  }

  function requestPage(page: number): Promise<void> {
    const running = inflight.get(page);
    if (running) return running;
    const mine = generation;
    const promise = fetchPage(page, mine).finally(() => {
      if (mine === generation) inflight.delete(page);
    });
    inflight.set(page, promise);
    return promise;
  }

  /** Starts over: drops every page and reads the first one (and the total) again. */
  async function reload(): Promise<void> {
    generation++;
    inflight.clear();
    cache.clear();
    revision.value++;
    const mine = generation;
    loading.value = true;
    try {
      await requestPage(1);
      if (mine === generation) loaded.value = true;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** Fetches the pages of the rows in view that are not held yet. */
  async function ensureRange(range: RowRange): Promise<void> {
    const pages = pagesOf(range, KEY_PAGE_SIZE);
    cache.touch(pages);
    await Promise.all(cache.missing(pages).map((page) => requestPage(page)));
  }

  /** The key at a row index, or undefined while its page is on its way. */
  function rowAt(index: number): KeyListEntry | undefined {
    void revision.value;
    return cache.rowAt(index);
  }

  async function applyFilters(next: KeyFilters): Promise<void> {
    filters.value = next;
    await reload();
  }

  /**
   * CreateKey, then CreateAlias when an alias was asked for. The key exists even when the alias is
   * refused (e.g. taken): that failure comes back beside the metadata instead of hiding the key.
   */
  async function create(request: CreateKeyRequest, aliasName?: string): Promise<CreatedKey> {
    const progress = useProgressStore();
    let metadata: KeyMetadata;
    try {
      metadata = (await invoke('CreateKey', request)).KeyMetadata;
    } finally {
      progress.clear('CreateKey');
    }
    if (!aliasName) return { metadata, aliasError: null };
    try {
      await invoke('CreateAlias', { AliasName: aliasName, KeyId: metadata.KeyId });
      return { metadata, aliasError: null };
    } catch (error) {
      return { metadata, aliasError: error };
    }
  }

  return { total, loaded, loading, filters, revision, reload, ensureRange, rowAt, applyFilters, create };
});
