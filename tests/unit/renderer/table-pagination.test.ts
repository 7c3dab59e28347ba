import { expect, it } from 'vitest';
import '../../../renderer/src/i18n/areas/keys';
import { remotePagination } from '../../../renderer/src/lib/table-pagination';

it("gives Naive UI the store's page, size and total, the total counted in the table's word", () => {
  const pagination = remotePagination({ page: 3, pageSize: 20, total: 41 }, 'keys.aliases.count');
  expect(pagination).toMatchObject({ page: 3, pageSize: 20, itemCount: 41, showSizePicker: true, pageSizes: [20, 50, 100] });
  expect(pagination.prefix()).toBe('41 aliases');
  expect(remotePagination({ page: 1, pageSize: 20, total: 1 }, 'keys.aliases.count').prefix()).toBe('1 alias');
});
