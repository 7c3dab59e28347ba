import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { KeyListEntry, KeyMetadata, OperationInput } from '../../../shared/contract';
import { invoke } from '../api/client';
import { toListFilters, type KeyFilters } from '../lib/key-filters';
import { useProgressStore } from './progress';

export type CreateKeyRequest = OperationInput<'CreateKey'>;
export type { KeyFilters };

/** The Keys page: one remote page of ListKeys at a time, plus CreateKey. */
export const useKeysStore = defineStore('keys', () => {
  const rows = ref<KeyListEntry[]>([]);
  const total = ref(0);
  const page = ref(1);
  const pageSize = ref(20);
  const filters = ref<KeyFilters>({ text: '', states: [], specs: [] });
  const loading = ref(false);
  let generation = 0;

  async function load(): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    try {
      const output = await invoke('ListKeys', {
        PageNumber: page.value,
        PageSize: pageSize.value,
        Filters: toListFilters(filters.value),
      });
      if (mine !== generation) return;
      rows.value = output.Keys;
      total.value = output.TotalCount;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  async function goTo(nextPage: number, nextSize = pageSize.value): Promise<void> {
    page.value = nextSize === pageSize.value ? nextPage : 1;
    pageSize.value = nextSize;
    await load();
  }

  async function applyFilters(next: KeyFilters): Promise<void> {
    filters.value = next;
    page.value = 1;
    await load();
  }

  async function create(request: CreateKeyRequest): Promise<KeyMetadata> {
    const progress = useProgressStore();
    try {
      const output = await invoke('CreateKey', request);
      return output.KeyMetadata;
    } finally {
      progress.clear('CreateKey');
    }
  }

  return { rows, total, page, pageSize, filters, loading, load, goTo, applyFilters, create };
});
