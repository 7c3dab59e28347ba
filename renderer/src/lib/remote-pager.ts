import { PageCache, pagesOf, type RowRange } from './page-window';

export interface PageResult<Row> {
  rows: readonly Row[];
  total: number;
}

/**
 * A remote list read page by page as rows come into view: each page fetched once (concurrent asks
 * share the call), a bounded number kept, and answers that arrive after a reset (a new filter)
 * dropped. `fetchPage` reads whatever query is current when it is called.
 */
export class RemotePager<Row> {
  private readonly cache: PageCache<Row>;
  private readonly inflight = new Map<number, Promise<void>>();
  private generation = 0;
  total = 0;

  constructor(
    readonly pageSize: number,
    private readonly fetchPage: (page: number) => Promise<PageResult<Row>>,
    /** Called whenever rows or the total changed. */
    private readonly onChange: () => void,
    maxPages?: number,
  ) {
    this.cache = new PageCache<Row>(pageSize, maxPages);
  }

  private request(page: number): Promise<void> {
    const running = this.inflight.get(page);
    if (running) return running;
    const mine = this.generation;
    const promise = this.fetchPage(page)
      .then((result) => {
        if (mine !== this.generation) return;
        this.total = result.total;
        this.cache.put(page, result.rows);
        this.onChange();
      })
      .finally(() => {
        if (mine === this.generation) this.inflight.delete(page);
      });
    this.inflight.set(page, promise);
    return promise;
  }

  /** Drops everything and reads page 1 (and the total) again. Resolves false when a newer reset overtook it. */
  async reset(): Promise<boolean> {
    this.generation++;
    const mine = this.generation;
    this.inflight.clear();
    this.cache.clear();
    this.onChange();
    await this.request(1);
    return mine === this.generation;
  }

  /** Fetches the pages of the rows in view that are not held yet. */
  async ensure(range: RowRange): Promise<void> {
    const pages = pagesOf(range, this.pageSize);
    this.cache.touch(pages);
    await Promise.all(this.cache.missing(pages).map((page) => this.request(page)));
  }

  rowAt(index: number): Row | undefined {
    return this.cache.rowAt(index);
  }
}
