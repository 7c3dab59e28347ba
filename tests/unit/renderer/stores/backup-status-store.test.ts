import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OperationResult } from '../../../../shared/contract';
import { useBackupStatusStore } from '../../../../renderer/src/stores/backup-status';
import { fakeHost } from '../support/fake-host';

const NEVER_BACKED_UP: OperationResult<'DescribeBackupStatus'> = {
  LastBackup: null,
  WarnAfterDays: 7,
  Overdue: true,
  RestoredFrom: null,
  UncheckedKeyStoreIds: [],
};

beforeEach(() => vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
afterEach(() => vi.useRealTimers());

describe('the backup status store', () => {
  it('keeps the status and the time it was read (ages are shown as of then)', async () => {
    fakeHost({ DescribeBackupStatus: () => NEVER_BACKED_UP });
    const store = useBackupStatusStore();
    vi.setSystemTime(new Date('2026-01-02T00:00:00Z'));
    await store.refresh();
    expect(store.status).toMatchObject(NEVER_BACKED_UP);
    expect(store.readAt).toBe(Date.parse('2026-01-02T00:00:00Z'));
  });

  it('reads again every ten minutes while watched, survives a failed read, and stops when told', async () => {
    let reads = 0;
    const host = fakeHost({
      DescribeBackupStatus: () => {
        reads++;
        if (reads === 2) throw new Error('host restarting');
        return { ...NEVER_BACKED_UP, Overdue: reads > 2 };
      },
    });
    const store = useBackupStatusStore();
    store.watch();
    store.watch(); // a second watcher shares the timer
    await vi.advanceTimersByTimeAsync(0);
    expect(host.operations()).toHaveLength(2);
    expect(store.status?.Overdue).toBe(false);

    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(host.operations()).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(host.operations()).toHaveLength(4);
    expect(store.status?.Overdue).toBe(true);

    store.stop();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(host.operations()).toHaveLength(4);
  });
});
