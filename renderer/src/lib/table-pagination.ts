import { tn } from '../i18n';

/** The page sizes a remotely paged table offers. */
export const TABLE_PAGE_SIZES = [20, 50, 100] as const;

/** Where a remotely paged table is: the page shown, its size and how many rows there are in all. */
export interface PagePosition {
  page: number;
  pageSize: number;
  total: number;
}

/** Naive UI pagination for a remotely paged table, its total counted by a plural catalogue key (`keys.aliases.count`). */
export function remotePagination(position: PagePosition, countKey: string) {
  return {
    page: position.page,
    pageSize: position.pageSize,
    itemCount: position.total,
    showSizePicker: true,
    pageSizes: [...TABLE_PAGE_SIZES],
    prefix: () => tn(countKey, position.total),
  };
}
