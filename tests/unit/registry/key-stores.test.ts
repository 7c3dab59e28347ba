import { describe, expect, it } from 'vitest';
import { at, keyRow, keyStoreRow, freshRegistryPerTest } from './support';

const fresh = freshRegistryPerTest();

const cluster = keyStoreRow({
  id: 'kst-cluster-1',
  name: 'Cluster store',
  type: 'HSM_CLUSTER',
  protectionLevel: 'HSM',
  clusterId: 'cls-1',
  tokenLabel: null,
  createdAt: at(10),
  updatedAt: at(10),
});

describe('key stores repository', () => {
  it('inserts and reads back every field, by id, by cluster and as the default', () => {
    const defaultStore = keyStoreRow();
    fresh.registry.keyStores.insert(defaultStore);
    fresh.registry.keyStores.insert(cluster);
    expect(fresh.registry.keyStores.get('kst-default')).toEqual(defaultStore);
    expect(fresh.registry.keyStores.getDefault()).toEqual(defaultStore);
    expect(fresh.registry.keyStores.getByClusterId('cls-1')).toEqual(cluster);
    expect(fresh.registry.keyStores.getByClusterId('cls-9')).toBeNull();
    expect(fresh.registry.keyStores.get('nope')).toBeNull();
    expect(fresh.registry.keyStores.list().map((row) => row.id)).toEqual(['kst-default', 'kst-cluster-1']);
  });

  it('keeps one default store, one store per cluster and unique names', () => {
    fresh.registry.keyStores.insert(keyStoreRow());
    fresh.registry.keyStores.insert(cluster);
    expect(() => fresh.registry.keyStores.insert(keyStoreRow({ id: 'kst-2', name: 'Second default' }))).toThrow(
      expect.objectContaining({ kind: 'unique' }),
    );
    expect(() => fresh.registry.keyStores.insert({ ...cluster, id: 'kst-3', name: 'Other name' })).toThrow(expect.objectContaining({ kind: 'unique' }));
    expect(() => fresh.registry.keyStores.insert({ ...cluster, id: 'kst-4', clusterId: 'cls-2' })).toThrow(expect.objectContaining({ kind: 'unique' }));
  });

  it('refuses values outside the allowed sets', () => {
    expect(() => fresh.registry.keyStores.insert(keyStoreRow({ connectionState: 'SLEEPING' as 'CONNECTED' }))).toThrow(
      expect.objectContaining({ kind: 'check' }),
    );
  });

  it('updates the connection state with its error code', () => {
    fresh.registry.keyStores.insert(cluster);
    expect(fresh.registry.keyStores.setConnectionState('kst-cluster-1', 'FAILED', 'INVALID_CREDENTIALS', at(20))).toBe(true);
    expect(fresh.registry.keyStores.get('kst-cluster-1')).toMatchObject({
      connectionState: 'FAILED',
      connectionErrorCode: 'INVALID_CREDENTIALS',
      updatedAt: at(20),
    });
    fresh.registry.keyStores.setConnectionState('kst-cluster-1', 'CONNECTED', null, at(21));
    expect(fresh.registry.keyStores.get('kst-cluster-1')).toMatchObject({ connectionState: 'CONNECTED', connectionErrorCode: null });
    expect(fresh.registry.keyStores.setConnectionState('nope', 'CONNECTED', null, at(22))).toBe(false);
  });

  it('updates only the given fields', () => {
    fresh.registry.keyStores.insert(keyStoreRow());
    expect(fresh.registry.keyStores.update('kst-default', { initialized: true, tokenSerial: 'a1b2c3' }, at(30))).toBe(true);
    expect(fresh.registry.keyStores.get('kst-default')).toEqual({ ...keyStoreRow(), initialized: true, tokenSerial: 'a1b2c3', updatedAt: at(30) });
    fresh.registry.keyStores.update('kst-default', { tokenLabel: null }, at(31));
    expect(fresh.registry.keyStores.get('kst-default')?.tokenLabel).toBeNull();
    expect(fresh.registry.keyStores.update('nope', { name: 'x' }, at(32))).toBe(false);
  });

  it('counts live keys per store, ignoring tombstones', () => {
    fresh.registry.keyStores.insert(keyStoreRow());
    fresh.registry.keyStores.insert(cluster);
    const keys = [keyRow(), keyRow(), keyRow({ keyStoreId: 'kst-cluster-1', protectionLevel: 'HSM' })];
    for (const key of keys) fresh.registry.keys.insert(key);
    fresh.registry.keys.markDeleted(keys[1]!.id, at(40));
    expect(fresh.registry.keyStores.countKeys('kst-default')).toBe(1);
    expect(fresh.registry.keyStores.countKeys('kst-cluster-1')).toBe(1);
    expect(fresh.registry.keyStores.countKeys('nope')).toBe(0);
    expect(fresh.registry.keyStores.countKeysByStore()).toEqual(new Map([['kst-default', 1], ['kst-cluster-1', 1]]));
  });

  it('deletes a store only when it holds no live keys, keeping tombstones without a store', () => {
    fresh.registry.keyStores.insert(keyStoreRow());
    fresh.registry.keyStores.insert(cluster);
    const key = keyRow({ keyStoreId: 'kst-cluster-1' });
    fresh.registry.keys.insert(key);
    expect(() => fresh.registry.keyStores.delete('kst-cluster-1')).toThrow(expect.objectContaining({ kind: 'check' }));
    fresh.registry.keys.markDeleted(key.id, at(50));
    expect(fresh.registry.keyStores.delete('kst-cluster-1')).toBe(true);
    expect(fresh.registry.keyStores.get('kst-cluster-1')).toBeNull();
    expect(fresh.registry.keys.get(key.id)).toMatchObject({ keyStoreId: null, deletedAt: at(50) });
    expect(fresh.registry.keyStores.delete('kst-cluster-1')).toBe(false);
  });
});
