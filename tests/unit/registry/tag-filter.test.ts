import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyRow, Registry } from '../../../electron/main/registry';
import { SPARSE_TAG_MATCHES } from '../../../electron/main/registry/repositories/key-list-query';
import { type Scratch, at, keyRow, keyStoreRow, scratch } from './support';

/** The Tag filter has two plans (few tagged keys: by id; many: index walk); both must give the same answers. */
let tmp: Scratch;
let registry: Registry;
let keys: KeyRow[];
const BULK = SPARSE_TAG_MATCHES + 50;

beforeEach(() => {
  tmp = scratch();
  registry = tmp.open();
  registry.keyStores.insert(keyStoreRow());
  keys = [];
  registry.transaction(() => {
    for (let index = 0; index < BULK + 10; index += 1) {
      const key = keyRow({ createdAt: at(index), keyState: index % 2 === 0 ? 'Enabled' : 'Disabled' });
      registry.keys.insert(key);
      keys.push(key);
      if (index < BULK) registry.tags.set({ keyId: key.id, tagKey: 'bulk', tagValue: index % 4 === 0 ? 'a' : 'b' });
      if (index % 500 === 7) registry.tags.set({ keyId: key.id, tagKey: 'rare', tagValue: 'x' });
    }
  });
});
afterEach(() => tmp.cleanup());

const newestFirst = (rows: KeyRow[]): string[] => [...rows].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((key) => key.id);
const page = (values: string[], extra: { key: 'KeyState'; values: string[] }[] = [], pageNumber = 1) =>
  registry.keys.list({ filters: [{ key: 'Tag', values }, ...extra], pageNumber, pageSize: 20 });

describe('ListKeys Tag filter', () => {
  it('pages many tagged keys newest first with an exact count', () => {
    const bulk = keys.slice(0, BULK);
    const result = page(['bulk']);
    expect(result.totalCount).toBe(BULK);
    expect(result.rows.map((row) => row.id)).toEqual(newestFirst(bulk).slice(0, 20));
    expect(page(['bulk'], [], 3).rows.map((row) => row.id)).toEqual(newestFirst(bulk).slice(40, 60));
  });

  it('matches TagKey=TagValue, alternatives and combinations with other filters', () => {
    const rare = keys.filter((_, index) => index % 500 === 7);
    expect(page(['rare=x']).rows.map((row) => row.id)).toEqual(newestFirst(rare));
    expect(page(['rare=y']).totalCount).toBe(0);
    const bulkA = keys.slice(0, BULK).filter((_, index) => index % 4 === 0);
    expect(page(['bulk=a']).totalCount).toBe(bulkA.length);
    // A key matching both alternatives counts once.
    expect(page(['bulk', 'rare']).totalCount).toBe(BULK + rare.filter((key) => keys.indexOf(key) >= BULK).length);
    const enabledBulk = keys.slice(0, BULK).filter((key) => key.keyState === 'Enabled');
    const combined = page(['bulk'], [{ key: 'KeyState', values: ['Enabled'] }]);
    expect(combined.totalCount).toBe(enabledBulk.length);
    expect(combined.rows.map((row) => row.id)).toEqual(newestFirst(enabledBulk).slice(0, 20));
    const rareDisabled = page(['rare'], [{ key: 'KeyState', values: ['Disabled'] }]);
    expect(rareDisabled.rows.map((row) => row.id)).toEqual(newestFirst(rare.filter((key) => key.keyState === 'Disabled')));
  });

  it('a tombstone loses its tags and aliases, so tag counts and alias names stay right', () => {
    const [first] = keys;
    registry.aliases.insert({ aliasName: 'alias/first', keyId: first!.id, createdAt: at(1), updatedAt: at(1) });
    expect(registry.keys.markDeleted(first!.id, at(99_999))).toBe(true);
    expect(registry.tags.listByKey(first!.id)).toEqual([]);
    expect(registry.aliases.get('alias/first')).toBeNull();
    expect(page(['bulk']).totalCount).toBe(BULK - 1);
    expect(page(['bulk']).rows.map((row) => row.id)).not.toContain(first!.id);
    expect(registry.keys.markDeleted(first!.id, at(99_999))).toBe(false);
  });
});
