/** The page sizes a remotely paged table offers. */
export const TABLE_PAGE_SIZES = [20, 50, 100] as const;

/** Where a remotely paged table is: the page shown, its size and how many rows there are in all. */
export interface PagePosition {
  page: number;
  pageSize: number;
  total: number;
}

/** Naive UI pagination for a remotely paged table, with the total named in the table's own word. */
export function remotePagination(position: PagePosition, noun: string) {
  return {
    page: position.page,
    pageSize: position.pageSize,
    itemCount: position.total,
    showSizePicker: true,
    pageSizes: [...TABLE_PAGE_SIZES],
    prefix: () => `${position.total} ${noun}`,
  };
}
