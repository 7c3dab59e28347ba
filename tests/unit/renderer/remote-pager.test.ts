import { describe, expect, it, vi } from 'vitest';
import { RemotePager, type PageResult } from '../../../renderer/src/lib/remote-pager';

const TOTAL = 100_000;
const PAGE = 100;

/** A fake ListKeys over 100k rows named key-<index>, filtered to one row when `only` is set. */
function source(only: { value: string | null }) {
  return vi.fn((page: number): Promise<PageResult<string>> => {
    if (only.value) return Promise.resolve({ rows: page === 1 ? [only.value] : [], total: 1 });
    const first = (page - 1) * PAGE;
    const rows = Array.from({ length: Math.max(0, Math.min(PAGE, TOTAL - first)) }, (_, offset) => `key-${first + offset}`);
    return Promise.resolve({ rows, total: TOTAL });
  });
}

describe('RemotePager over 100k rows', () => {
  it('reads page 1 and the total, then only the pages in view, each once', async () => {
    const fetch = source({ value: null });
    const changed = vi.fn();
    const pager = new RemotePager(PAGE, fetch, changed);
    expect(await pager.reset()).toBe(true);
    expect(pager.total).toBe(TOTAL);
    expect(fetch).toHaveBeenCalledTimes(1);

    await Promise.all([pager.ensure({ first: 99_950, last: 99_999 }), pager.ensure({ first: 99_950, last: 99_999 })]);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(fetch).toHaveBeenLastCalledWith(TOTAL / PAGE);
    expect(pager.rowAt(99_999)).toBe('key-99999');
    expect(pager.rowAt(50_000)).toBeUndefined();
    await pager.ensure({ first: 99_950, last: 99_999 });
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(changed).toHaveBeenCalled();
  });

  it('drops answers to the query before a reset', async () => {
    const only = { value: null as string | null };
    const fetch = source(only);
    const pager = new RemotePager(PAGE, fetch, () => {});
    await pager.reset();
    let release: () => void = () => {};
    fetch.mockImplementationOnce(
      (page: number) => new Promise<PageResult<string>>((resolve) => (release = () => resolve({ rows: [`late-${page}`], total: TOTAL }))),
    );
    const stale = pager.ensure({ first: 500, last: 510 });
    only.value = 'only-match';
    expect(await pager.reset()).toBe(true);
    release();
    await stale;
    expect(pager.total).toBe(1);
    expect(pager.rowAt(0)).toBe('only-match');
    expect(pager.rowAt(500)).toBeUndefined();
  });

  it('reports a reset overtaken by a newer one', async () => {
    const pager = new RemotePager(PAGE, source({ value: null }), () => {});
    const first = pager.reset();
    const second = pager.reset();
    expect(await first).toBe(false);
    expect(await second).toBe(true);
  });
});
