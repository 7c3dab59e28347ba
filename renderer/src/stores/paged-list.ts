import { ref, shallowRef, type Ref } from 'vue';
import type { RowRange } from '../lib/page-window';
import { RemotePager, type PageResult } from '../lib/remote-pager';

/**
 * What a list page's table reads from its store (the unwrapped state of usePagedList): the total,
 * whether the first page came, and the rows by index as their pages arrive.
 */
export interface PagedRows<Row> {
  readonly total: number;
  readonly loaded: boolean;
  readonly loading: boolean;
  /** Bumped whenever pages arrive or go: what rowAt's readers re-render on. */
  readonly revision: number;
  readonly filters: unknown;
  rowAt(index: number): Row | undefined;
  ensureRange(range: RowRange): Promise<void>;
}

/**
 * The state of a list page inside a setup store: a window over a remote list that may hold 100k
 * rows. Only the pages in view are fetched (and a bounded number kept); a filter change starts over
 * from page 1, which also gives the total. `fetchPage` gets the filters current when it runs.
 */
export function usePagedList<Row, Filters>(
  pageSize: number,
  initialFilters: Filters,
  fetchPage: (page: number, filters: Filters) => Promise<PageResult<Row>>,
) {
  const revision = shallowRef(0);
  const total = ref(0);
  const loaded = ref(false);
  const loading = ref(false);
  const filters = ref(initialFilters) as Ref<Filters>;

  const pager = new RemotePager<Row>(
    pageSize,
    (page) => fetchPage(page, filters.value),
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
      // A newer reload overtook this one: it says when loading ends.
      if (current) loading.value = false;
    }
  }

  async function ensureRange(range: RowRange): Promise<void> {
    await pager.ensure(range);
  }

  /** The row at an index, or undefined while its page is on its way. */
  function rowAt(index: number): Row | undefined {
    void revision.value;
    return pager.rowAt(index);
  }

  async function applyFilters(next: Filters): Promise<void> {
    filters.value = next;
    await reload();
  }

  return { total, loaded, loading, filters, revision, reload, ensureRange, rowAt, applyFilters };
}
