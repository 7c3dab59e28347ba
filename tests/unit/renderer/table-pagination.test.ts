import { expect, it } from 'vitest';
import { remotePagination } from '../../../renderer/src/lib/table-pagination';

it("gives Naive UI the store's page, size and total, the total named in the table's word", () => {
  const pagination = remotePagination({ page: 3, pageSize: 20, total: 41 }, 'aliases');
  expect(pagination).toMatchObject({ page: 3, pageSize: 20, itemCount: 41, showSizePicker: true, pageSizes: [20, 50, 100] });
  expect(pagination.prefix()).toBe('41 aliases');
});
