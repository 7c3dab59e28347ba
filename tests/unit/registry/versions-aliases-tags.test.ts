import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyRow, Registry } from '../../../electron/main/registry';
import { type Scratch, at, keyRow, keyStoreRow, objectIdOf, scratch } from './support';

let tmp: Scratch;
let registry: Registry;
let key: KeyRow;
let other: KeyRow;
beforeEach(() => {
  tmp = scratch();
  registry = tmp.open();
  registry.keyStores.insert(keyStoreRow());
  key = keyRow();
  other = keyRow();
  registry.keys.insert(key);
  registry.keys.insert(other);
});
afterEach(() => tmp.cleanup());

describe('key versions repository', () => {
  it('inserts, gets by id and object id, and lists a key’s versions oldest first', () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    registry.keyVersions.insert({ id: ids[1]!, keyId: key.id, objectId: objectIdOf(ids[1]!), createdAt: at(20) });
    registry.keyVersions.insert({ id: ids[0]!, keyId: key.id, objectId: objectIdOf(ids[0]!), createdAt: at(10) });
    registry.keyVersions.insert({ id: ids[2]!, keyId: other.id, objectId: objectIdOf(ids[2]!), createdAt: at(5) });
    expect(registry.keyVersions.get(ids[0]!)).toEqual({ id: ids[0], keyId: key.id, objectId: objectIdOf(ids[0]!), createdAt: at(10) });
    expect(registry.keyVersions.getByObjectId(objectIdOf(ids[2]!))?.id).toBe(ids[2]);
    expect(registry.keyVersions.get('nope')).toBeNull();
    expect(registry.keyVersions.listByKey(key.id).map((version) => version.id)).toEqual([ids[0], ids[1]]);
    expect(registry.keyVersions.listByKey('nope')).toEqual([]);
  });

  it('refuses unknown keys, reused object ids and object ids that are not lowercase hex', () => {
    const id = randomUUID();
    expect(() => registry.keyVersions.insert({ id, keyId: 'nope', objectId: objectIdOf(id), createdAt: at(1) })).toThrow(
      expect.objectContaining({ kind: 'foreignKey' }),
    );
    registry.keyVersions.insert({ id, keyId: key.id, objectId: objectIdOf(id), createdAt: at(1) });
    expect(() => registry.keyVersions.insert({ id: randomUUID(), keyId: key.id, objectId: objectIdOf(id), createdAt: at(1) })).toThrow(
      expect.objectContaining({ kind: 'unique' }),
    );
    for (const objectId of ['ABCD', 'abc', 'zz', '']) {
      expect(() => registry.keyVersions.insert({ id: randomUUID(), keyId: key.id, objectId, createdAt: at(1) })).toThrow(
        expect.objectContaining({ kind: 'check' }),
      );
    }
  });
});

describe('aliases repository', () => {
  const alias = (aliasName: string, keyId: string) => ({ aliasName, keyId, createdAt: at(1), updatedAt: at(1) });

  it('inserts, resolves, lists by key and pages through all aliases by name', () => {
    registry.aliases.insert(alias('alias/b', key.id));
    registry.aliases.insert(alias('alias/a', key.id));
    registry.aliases.insert(alias('alias/c', other.id));
    expect(registry.aliases.resolve('alias/a')).toBe(key.id);
    expect(registry.aliases.resolve('alias/none')).toBeNull();
    expect(registry.aliases.get('alias/c')).toEqual(alias('alias/c', other.id));
    expect(registry.aliases.listByKey(key.id).map((row) => row.aliasName)).toEqual(['alias/a', 'alias/b']);
    expect(registry.aliases.list({ pageNumber: 1, pageSize: 2 })).toEqual({
      rows: [alias('alias/a', key.id), alias('alias/b', key.id)],
      totalCount: 3,
    });
    expect(registry.aliases.list({ pageNumber: 2, pageSize: 2 }).rows.map((row) => row.aliasName)).toEqual(['alias/c']);
  });

  it('refuses a taken name and an unknown key', () => {
    registry.aliases.insert(alias('alias/a', key.id));
    expect(() => registry.aliases.insert(alias('alias/a', other.id))).toThrow(expect.objectContaining({ kind: 'unique' }));
    expect(() => registry.aliases.insert(alias('alias/z', 'nope'))).toThrow(expect.objectContaining({ kind: 'foreignKey' }));
  });

  it('retargets and deletes', () => {
    registry.aliases.insert(alias('alias/a', key.id));
    registry.aliases.insert(alias('alias/b', key.id));
    expect(registry.aliases.retarget('alias/a', other.id, at(9))).toBe(true);
    expect(registry.aliases.get('alias/a')).toEqual({ aliasName: 'alias/a', keyId: other.id, createdAt: at(1), updatedAt: at(9) });
    expect(() => registry.aliases.retarget('alias/a', 'nope', at(9))).toThrow(expect.objectContaining({ kind: 'foreignKey' }));
    expect(registry.aliases.retarget('alias/none', key.id, at(9))).toBe(false);
    expect(registry.aliases.delete('alias/a')).toBe(true);
    expect(registry.aliases.delete('alias/a')).toBe(false);
    expect(registry.aliases.deleteByKey(key.id)).toBe(1);
    expect(registry.aliases.list({ pageNumber: 1, pageSize: 10 }).totalCount).toBe(0);
  });
});

describe('tags repository', () => {
  it('sets, overwrites, lists sorted, removes and clears tags', () => {
    registry.tags.set({ keyId: key.id, tagKey: 'team', tagValue: 'payments' });
    registry.tags.set({ keyId: key.id, tagKey: 'env', tagValue: 'prod' });
    registry.tags.set({ keyId: key.id, tagKey: 'team', tagValue: 'billing' });
    registry.tags.set({ keyId: other.id, tagKey: 'env', tagValue: 'test' });
    expect(registry.tags.listByKey(key.id)).toEqual([
      { keyId: key.id, tagKey: 'env', tagValue: 'prod' },
      { keyId: key.id, tagKey: 'team', tagValue: 'billing' },
    ]);
    expect(registry.tags.remove(key.id, 'env')).toBe(true);
    expect(registry.tags.remove(key.id, 'env')).toBe(false);
    expect(registry.tags.deleteByKey(key.id)).toBe(1);
    expect(registry.tags.listByKey(key.id)).toEqual([]);
    expect(registry.tags.listByKey(other.id)).toHaveLength(1);
  });

  it('refuses tags on an unknown key', () => {
    expect(() => registry.tags.set({ keyId: 'nope', tagKey: 'a', tagValue: 'b' })).toThrow(expect.objectContaining({ kind: 'foreignKey' }));
  });
});
