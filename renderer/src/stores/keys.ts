import { defineStore } from 'pinia';
import type { KeyMetadata, OperationInput } from '../../../shared/contract';
import { invoke } from '../api/client';
import { emptyKeyFilters, toListFilters, type KeyFilters } from '../lib/key-filters';
import { usePagedList } from './paged-list';
import { useProgressStore } from './progress';

export type CreateKeyRequest = OperationInput<'CreateKey'>;
export type { KeyFilters };

/** ListKeys' largest page: fewest round trips while scrolling. */
export const KEY_PAGE_SIZE = 100;

/** The Keys page: a window over ListKeys that may hold 100k keys (see usePagedList), and CreateKey. */
export const useKeysStore = defineStore('keys', () => {
  const list = usePagedList(KEY_PAGE_SIZE, emptyKeyFilters(), async (page, filters: KeyFilters) => {
    const output = await invoke('ListKeys', { PageNumber: page, PageSize: KEY_PAGE_SIZE, Filters: toListFilters(filters) });
    return { rows: output.Keys, total: output.TotalCount };
  });

  /** CreateKey; an `Alias` in the request is created in the same transaction (a taken name creates nothing). */
  async function create(request: CreateKeyRequest): Promise<KeyMetadata> {
    const progress = useProgressStore();
    try {
      return (await invoke('CreateKey', request)).KeyMetadata;
    } finally {
      progress.clear('CreateKey');
    }
  }

  return { ...list, create };
});
