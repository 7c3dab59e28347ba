import { describe, expect, it, vi } from 'vitest';
import type { PageResult } from '../../../renderer/src/lib/remote-pager';
import { usePagedList } from '../../../renderer/src/stores/paged-list';

const PAGE = 100;

/** A fake list of `count` rows named <prefix>-<index>, answered when the test says so. */
function deferredSource() {
  const calls: { page: number; filters: string; answer: (count: number) => void }[] = [];
  const fetchPage = vi.fn(
    (page: number, filters: string) =>
      new Promise<PageResult<string>>((resolve) => {
        calls.push({
          page,
          filters,
          answer: (count) => {
            const first = (page - 1) * PAGE;
            const rows = Array.from({ length: Math.max(0, Math.min(PAGE, count - first)) }, (_, offset) => `${filters}-${first + offset}`);
            resolve({ rows, total: count });
          },
        });
      }),
  );
  return { calls, fetchPage };
}

/** What the table shows: whether the list is still loading, how many rows it counts, and its first row. */
function shown(list: ReturnType<typeof usePagedList<string, string>>) {
  return { loading: list.loading.value, loaded: list.loaded.value, total: list.total.value, firstRow: list.rowAt(0) };
}

describe('usePagedList (the Keys and Secrets pages)', () => {
  it('reads page 1 with the filters, then the pages in view, and counts what arrived', async () => {
    const { calls, fetchPage } = deferredSource();
    const list = usePagedList<string, string>(PAGE, 'all', fetchPage);
    const reload = list.reload();
    expect(list.loading.value).toBe(true);
    calls[0]?.answer(250);
    await reload;
    expect(shown(list)).toEqual({ loading: false, loaded: true, total: 250, firstRow: 'all-0' });
    expect(list.rowAt(99)).toBe('all-99');
    expect(list.rowAt(100)).toBeUndefined();

    const revision = list.revision.value;
    const ensure = list.ensureRange({ first: 150, last: 249 });
    expect(calls.slice(1).map((call) => call.page)).toEqual([2, 3]);
    for (const call of calls.slice(1)) call.answer(250);
    await ensure;
    expect(fetchPage).toHaveBeenLastCalledWith(3, 'all');
    expect(list.rowAt(249)).toBe('all-249');
    expect(list.revision.value).toBeGreaterThan(revision);
  });

  it('starts over with new filters, and an overtaken reload neither ends the loading nor shows its rows', async () => {
    const { calls, fetchPage } = deferredSource();
    const list = usePagedList<string, string>(PAGE, 'all', fetchPage);
    const first = list.reload();
    const second = list.applyFilters('payments');
    expect(list.filters.value).toBe('payments');
    expect(calls.map((call) => call.filters)).toEqual(['all', 'payments']);

    calls[0]?.answer(1000);
    await first;
    expect(shown(list)).toEqual({ loading: true, loaded: false, total: 0, firstRow: undefined });

    calls[1]?.answer(3);
    await second;
    expect(shown(list)).toEqual({ loading: false, loaded: true, total: 3, firstRow: 'payments-0' });
  });
});
