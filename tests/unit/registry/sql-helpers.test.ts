import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StatementCache, containsPattern, inList, limitOffset } from '../../../electron/main/registry/sql';
import { keyListWhere } from '../../../electron/main/registry/repositories/key-list-query';

describe('paging', () => {
  it('turns a 1-based page into LIMIT and OFFSET', () => {
    expect(limitOffset({ pageNumber: 1, pageSize: 20 })).toEqual([20, 0]);
    expect(limitOffset({ pageNumber: 3, pageSize: 50 })).toEqual([50, 100]);
  });

  it.each([
    [0, 10],
    [1.5, 10],
    [1, 0],
    [1, 1001],
    [Number.NaN, 10],
  ])('rejects page %s of size %s', (pageNumber, pageSize) => {
    expect(() => limitOffset({ pageNumber, pageSize })).toThrow(RangeError);
  });
});

describe('SQL fragments', () => {
  it('builds IN lists of placeholders only', () => {
    expect(inList('k.key_state', 3)).toBe('k.key_state IN (?, ?, ?)');
    expect(() => inList('x', 0)).toThrow(RangeError);
  });

  it('escapes LIKE wildcards so that user text matches literally', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });

  it('ANDs different filters, ORs the values of one, and never puts values in the SQL', () => {
    const where = keyListWhere([
      { key: 'KeyState', values: ['Enabled', "Disabled') OR 1=1 --"] },
      { key: 'Text', values: ['a', 'b'] },
    ]);
    expect(where.sql).not.toContain('OR 1=1');
    expect(where.sql.startsWith('k.deleted_at IS NULL AND k.key_state IN (?, ?) AND (')).toBe(true);
    expect(where.params).toEqual(['Enabled', "Disabled') OR 1=1 --", '%a%', '%a%', '%a%', '%b%', '%b%', '%b%']);
    expect(where.unfiltered).toBe(false);
    expect(keyListWhere([]).unfiltered).toBe(true);
  });

  it('rejects empty value lists and unknown filter names', () => {
    expect(() => keyListWhere([{ key: 'KeyState', values: [] }])).toThrow(RangeError);
    expect(() => keyListWhere([{ key: 'Nope' as 'KeyState', values: ['x'] }])).toThrow(RangeError);
  });
});

describe('StatementCache', () => {
  it('prepares each SQL text once and evicts the least recently used beyond its capacity', () => {
    const db = new Database(':memory:');
    const cache = new StatementCache(db, 2);
    const one = cache.get<[], { v: number }>('SELECT 1 AS v');
    expect(cache.get('SELECT 1 AS v')).toBe(one);
    cache.get('SELECT 2 AS v');
    cache.get('SELECT 1 AS v');
    cache.get('SELECT 3 AS v');
    // "SELECT 2" was least recently used and is gone; "SELECT 1" survived.
    expect(cache.get('SELECT 1 AS v')).toBe(one);
    expect(one.get()?.v).toBe(1);
    db.close();
  });
});
