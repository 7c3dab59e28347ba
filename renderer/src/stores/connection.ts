import { ref } from 'vue';
import { defineStore } from 'pinia';
import { onConnectionStatus, type ConnectionStatus } from '../api/client';
import { useKeyStoresStore } from './keystores';

/** The transport's link to the host; after a reconnect the lock state is read again (the host may have restarted). */
export const useConnectionStore = defineStore('connection', () => {
  const status = ref<ConnectionStatus>('connecting');
  let started = false;

  function start(): void {
    if (started) return;
    started = true;
    onConnectionStatus((next) => {
      const wasDown = status.value === 'reconnecting';
      status.value = next;
      if (wasDown && next === 'open') void useKeyStoresStore().refresh().catch(() => {});
    });
  }

  return { status, start };
});
