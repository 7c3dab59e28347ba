import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { OperationResult } from '../../../shared/contract';
import { invoke } from '../api/client';

export type BackupStatus = OperationResult<'DescribeBackupStatus'>;

/** A console left open turns overdue by itself: the status is read again this often. */
const REFRESH_EVERY_MS = 10 * 60_000;

/**
 * When the last backup was made and whether it is overdue (the header and the Backup page), and
 * whether this data directory came from a restore whose key stores are still to be checked.
 */
export const useBackupStatusStore = defineStore('backupStatus', () => {
  const status = ref<BackupStatus | null>(null);
  /** The clock when the status was read: ages are shown as of then. */
  const readAt = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | null = null;

  async function refresh(): Promise<BackupStatus> {
    const output = await invoke('DescribeBackupStatus', {});
    status.value = output;
    readAt.value = Date.now();
    return output;
  }

  /** Reads now and then every few minutes, until stop(). */
  function watch(): void {
    void refresh().catch(() => {});
    timer ??= setInterval(() => void refresh().catch(() => {}), REFRESH_EVERY_MS);
  }

  function stop(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  return { status, readAt, refresh, watch, stop };
});
