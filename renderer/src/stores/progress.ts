import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { ProgressEvent } from '../../../shared/wire';
import { onProgress } from '../api/client';

/** Latest progress of long operations (RSA generation, replication), by operation name. */
export const useProgressStore = defineStore('progress', () => {
  const byOperation = ref<Record<string, ProgressEvent>>({});
  let unsubscribe: (() => void) | null = null;

  function start(): void {
    if (unsubscribe) return;
    unsubscribe = onProgress((event) => {
      byOperation.value = { ...byOperation.value, [event.operation]: event };
    });
  }

  function of(operation: string): ProgressEvent | null {
    return byOperation.value[operation] ?? null;
  }

  function clear(operation: string): void {
    const next = { ...byOperation.value };
    delete next[operation];
    byOperation.value = next;
  }

  return { byOperation, start, of, clear };
});
