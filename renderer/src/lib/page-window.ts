/**
 * Rows of a remote list too long to hold (100k keys): kept as fixed-size pages fetched on demand,
 * the least recently used pages dropped beyond a budget. Pure: the store does the fetching.
 */

export interface RowRange {
  /** First visible row index (0-based, inclusive). */
  first: number;
  /** Last visible row index (inclusive); below `first` means an empty range. */
  last: number;
}

/** The visible rows of a scrolled window with fixed row height, widened by `overscan` rows each way. */
export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 10): RowRange {
  if (total <= 0 || rowHeight <= 0) return { first: 0, last: -1 };
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total - 1, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { first, last: Math.max(first - 1, last) };
}

/** 1-based page numbers covering the rows of `range`. */
export function pagesOf(range: RowRange, pageSize: number): number[] {
  if (range.last < range.first) return [];
  const firstPage = Math.floor(range.first / pageSize) + 1;
  const lastPage = Math.floor(range.last / pageSize) + 1;
  const pages: number[] = [];
  for (let page = firstPage; page <= lastPage; page++) pages.push(page);
  return pages;
}

export class PageCache<Row> {
  private readonly pages = new Map<number, readonly Row[]>();

  constructor(
    readonly pageSize: number,
    private readonly maxPages = 40,
  ) {}

  get size(): number {
    return this.pages.size;
  }

  has(page: number): boolean {
    return this.pages.has(page);
  }

  /** Stores a page and makes it the most recently used; drops the oldest pages over budget. */
  put(page: number, rows: readonly Row[]): void {
    this.pages.delete(page);
    this.pages.set(page, rows);
    while (this.pages.size > this.maxPages) {
      const oldest = this.pages.keys().next().value;
      if (oldest === undefined) break;
      this.pages.delete(oldest);
    }
  }

  /** The row at a 0-based index, or undefined while its page is not loaded. */
  rowAt(index: number): Row | undefined {
    const page = Math.floor(index / this.pageSize) + 1;
    const rows = this.pages.get(page);
    return rows?.[index - (page - 1) * this.pageSize];
  }

  /** Marks the pages in view as recently used, so scrolling back and forth keeps them. */
  touch(pages: readonly number[]): void {
    for (const page of pages) {
      const rows = this.pages.get(page);
      if (rows) this.put(page, rows);
    }
  }

  missing(pages: readonly number[]): number[] {
    return pages.filter((page) => !this.pages.has(page));
  }

  clear(): void {
    this.pages.clear();
  }
}
