import { describe, expect, it } from 'vitest';
import { PageCache, pagesOf, visibleRange } from '../../../renderer/src/lib/page-window';

describe('visibleRange', () => {
  it('covers the rows in view plus the overscan, clamped to the list', () => {
    expect(visibleRange(0, 360, 36, 100_000, 5)).toEqual({ first: 0, last: 15 });
    expect(visibleRange(36 * 1000, 360, 36, 100_000, 5)).toEqual({ first: 995, last: 1015 });
    expect(visibleRange(36 * 99_990, 360, 36, 100_000, 5)).toEqual({ first: 99_985, last: 99_999 });
  });

  it('is empty for an empty list', () => {
    expect(visibleRange(0, 360, 36, 0)).toEqual({ first: 0, last: -1 });
  });
});

describe('pagesOf', () => {
  it('lists the 1-based pages a row range touches', () => {
    expect(pagesOf({ first: 0, last: 15 }, 100)).toEqual([1]);
    expect(pagesOf({ first: 95, last: 215 }, 100)).toEqual([1, 2, 3]);
    expect(pagesOf({ first: 99_985, last: 99_999 }, 100)).toEqual([1000]);
    expect(pagesOf({ first: 0, last: -1 }, 100)).toEqual([]);
  });
});

describe('PageCache', () => {
  it('finds rows by index across pages and reports the missing ones', () => {
    const cache = new PageCache<string>(3);
    cache.put(2, ['d', 'e', 'f']);
    expect(cache.rowAt(3)).toBe('d');
    expect(cache.rowAt(5)).toBe('f');
    expect(cache.rowAt(0)).toBeUndefined();
    expect(cache.missing([1, 2, 3])).toEqual([1, 3]);
  });

  it('drops the least recently used page beyond its budget, keeping touched ones', () => {
    const cache = new PageCache<number>(1, 2);
    cache.put(1, [1]);
    cache.put(2, [2]);
    cache.touch([1]);
    cache.put(3, [3]);
    expect(cache.has(1)).toBe(true);
    expect(cache.has(2)).toBe(false);
    expect(cache.has(3)).toBe(true);
    expect(cache.size).toBe(2);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
