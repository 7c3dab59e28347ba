import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';

const invoke = vi.fn();
vi.mock('../../../renderer/src/api/client', () => ({ invoke, onProgress: () => () => {} }));

const { useKeysStore, KEY_PAGE_SIZE } = await import('../../../renderer/src/stores/keys');
const { emptyKeyFilters } = await import('../../../renderer/src/lib/key-filters');

const TOTAL = 100_000;

/** A fake ListKeys over 100k keys named key-<index>. */
function listKeys(_name: string, input: { PageNumber: number; PageSize: number }) {
  const first = (input.PageNumber - 1) * input.PageSize;
  const keys = Array.from({ length: Math.max(0, Math.min(input.PageSize, TOTAL - first)) }, (_, offset) => ({ KeyId: `key-${first + offset}` }));
  return Promise.resolve({ Keys: keys, TotalCount: TOTAL, PageNumber: input.PageNumber, PageSize: input.PageSize, RequestId: 'r' });
}

describe('keys store (windowed ListKeys)', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    invoke.mockReset();
    invoke.mockImplementation(listKeys);
  });

  it('reads page 1 and the total, then only the pages in view, each once', async () => {
    const keys = useKeysStore();
    await keys.reload();
    expect(keys.total).toBe(TOTAL);
    expect(invoke).toHaveBeenCalledTimes(1);

    await Promise.all([keys.ensureRange({ first: 99_950, last: 99_999 }), keys.ensureRange({ first: 99_950, last: 99_999 })]);
    expect(invoke).toHaveBeenCalledTimes(2);
    expect(invoke.mock.calls[1]?.[1]).toMatchObject({ PageNumber: TOTAL / KEY_PAGE_SIZE, PageSize: KEY_PAGE_SIZE });
    expect(keys.rowAt(99_999)?.KeyId).toBe('key-99999');
    expect(keys.rowAt(50_000)).toBeUndefined();

    await keys.ensureRange({ first: 99_950, last: 99_999 });
    expect(invoke).toHaveBeenCalledTimes(2);
  });

  it('starts over on a filter change and drops answers to the old filter', async () => {
    const keys = useKeysStore();
    await keys.reload();
    let release: () => void = () => {};
    invoke.mockImplementationOnce((name: string, input: { PageNumber: number; PageSize: number }) =>
      new Promise((resolve) => (release = () => resolve(listKeys(name, input)))),
    );
    const stale = keys.ensureRange({ first: 500, last: 510 });
    invoke.mockImplementation(() => Promise.resolve({ Keys: [{ KeyId: 'only' }], TotalCount: 1, PageNumber: 1, PageSize: 100, RequestId: 'r' }));
    await keys.applyFilters({ ...emptyKeyFilters(), text: 'only' });
    release();
    await stale;
    expect(keys.total).toBe(1);
    expect(keys.rowAt(0)?.KeyId).toBe('only');
    expect(keys.rowAt(500)).toBeUndefined();
    expect(invoke.mock.calls.at(-1)?.[1]).toMatchObject({ Filters: [{ Key: 'Text', Values: ['only'] }] });
  });
});
