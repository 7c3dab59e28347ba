import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { KeyListFilter, KeyRow } from '../../../electron/main/registry';
import { at, keyRow, keyStoreRow, objectIdOf, freshRegistryPerTest } from './support';

const fresh = freshRegistryPerTest((registry) => {
  registry.keyStores.insert(keyStoreRow());
  registry.keyStores.insert(keyStoreRow({ id: 'kst-hsm', name: 'HSM', type: 'HSM_CLUSTER', protectionLevel: 'HSM', clusterId: 'cls-1' }));
});

describe('keys repository: rows', () => {
  it('stores and returns every KeyMetadata field', () => {
    const versionId = randomUUID();
    const key = keyRow({
      description: 'payments',
      keySpec: 'RSA_3072',
      keyUsage: 'SIGN/VERIFY',
      origin: 'EXTERNAL',
      protectionLevel: 'HSM',
      keyStoreId: 'kst-hsm',
      keyState: 'PendingDeletion',
      deleteDate: at(100),
      materialExpireTime: at(200),
      primaryVersionId: versionId,
      automaticRotation: 'Suspended',
      rotationInterval: '30d',
      nextRotationDate: at(300),
      lastRotationDate: at(50),
    });
    fresh.registry.transaction(() => {
      fresh.registry.keys.insert(key);
      fresh.registry.keyVersions.insert({ id: versionId, keyId: key.id, objectId: objectIdOf(versionId), createdAt: at(1) });
    });
    expect(fresh.registry.keys.get(key.id)).toEqual(key);
    expect(fresh.registry.keys.get('nope')).toBeNull();
  });

  it('refuses duplicates, unknown stores, bad states and a primary version of another key', () => {
    const key = keyRow();
    fresh.registry.keys.insert(key);
    expect(() => fresh.registry.keys.insert(key)).toThrow(expect.objectContaining({ kind: 'unique' }));
    expect(() => fresh.registry.keys.insert(keyRow({ keyStoreId: 'kst-nope' }))).toThrow(expect.objectContaining({ kind: 'foreignKey' }));
    expect(() => fresh.registry.keys.insert(keyRow({ keyState: 'Lost' as 'Enabled' }))).toThrow(expect.objectContaining({ kind: 'check' }));
    expect(() => fresh.registry.keys.insert(keyRow({ keyStoreId: null }))).toThrow(expect.objectContaining({ kind: 'check' }));

    const versionOfKey = randomUUID();
    fresh.registry.keyVersions.insert({ id: versionOfKey, keyId: key.id, objectId: objectIdOf(versionOfKey), createdAt: at(2) });
    // The primary version check is deferred to commit, so it surfaces from transaction().
    expect(() => fresh.registry.transaction(() => fresh.registry.keys.insert(keyRow({ primaryVersionId: versionOfKey })))).toThrow(
      expect.objectContaining({ kind: 'foreignKey' }),
    );
  });

  it('updates state and fields, leaving the others alone', () => {
    const key = keyRow();
    fresh.registry.keys.insert(key);
    expect(fresh.registry.keys.updateState(key.id, 'PendingDeletion', at(7 * 86400))).toBe(true);
    expect(fresh.registry.keys.get(key.id)).toEqual({ ...key, keyState: 'PendingDeletion', deleteDate: at(7 * 86400) });
    fresh.registry.keys.updateState(key.id, 'Enabled', null);
    expect(fresh.registry.keys.update(key.id, { automaticRotation: 'Enabled', rotationInterval: '30d', nextRotationDate: at(99), description: 'x' })).toBe(true);
    expect(fresh.registry.keys.get(key.id)).toEqual({ ...key, automaticRotation: 'Enabled', rotationInterval: '30d', nextRotationDate: at(99), description: 'x' });
    expect(fresh.registry.keys.update(key.id, {})).toBe(true);
    expect(fresh.registry.keys.update('nope', { description: 'y' })).toBe(false);
    expect(fresh.registry.keys.updateState('nope', 'Disabled', null)).toBe(false);
  });

  it('tombstones a key: kept by id, gone from lists, state frozen', () => {
    const key = keyRow();
    fresh.registry.keys.insert(key);
    expect(fresh.registry.keys.markDeleted(key.id, at(9))).toBe(true);
    expect(fresh.registry.keys.markDeleted(key.id, at(10))).toBe(false);
    expect(fresh.registry.keys.get(key.id)?.deletedAt).toBe(at(9));
    expect(fresh.registry.keys.updateState(key.id, 'Enabled', null)).toBe(false);
    expect(fresh.registry.keys.list({ pageNumber: 1, pageSize: 10 })).toEqual({ rows: [], totalCount: 0 });
    expect(() => fresh.registry.keys.insert({ ...key, deletedAt: null })).toThrow(expect.objectContaining({ kind: 'unique' }));
  });

  it('finds keys due for deletion and rotation', () => {
    const due = keyRow({ keyState: 'PendingDeletion', deleteDate: at(100) });
    const later = keyRow({ keyState: 'PendingDeletion', deleteDate: at(500) });
    const rotating = keyRow({ automaticRotation: 'Enabled', rotationInterval: '7d', nextRotationDate: at(100) });
    const suspended = keyRow({ automaticRotation: 'Suspended', nextRotationDate: at(100) });
    for (const key of [due, later, rotating, suspended]) fresh.registry.keys.insert(key);
    expect(fresh.registry.keys.listDueForDeletion(at(200)).map((key) => key.id)).toEqual([due.id]);
    expect(fresh.registry.keys.listDueForRotation(at(200)).map((key) => key.id)).toEqual([rotating.id]);
    fresh.registry.keys.markDeleted(due.id, at(201));
    expect(fresh.registry.keys.listDueForDeletion(at(200))).toEqual([]);
  });
});

describe('keys repository: list', () => {
  let keys: KeyRow[];
  beforeEach(() => {
    keys = [
      keyRow({ id: 'k-0', createdAt: at(10), description: 'Payments gateway' }),
      keyRow({ id: 'k-1', createdAt: at(11), keyState: 'Disabled', keySpec: 'RSA_2048', keyUsage: 'SIGN/VERIFY' }),
      keyRow({ id: 'k-2', createdAt: at(12), keyStoreId: 'kst-hsm', protectionLevel: 'HSM', origin: 'EXTERNAL', keyState: 'PendingImport' }),
      keyRow({ id: 'k-3', createdAt: at(13), keySpec: 'HMAC_SHA256', keyUsage: 'GENERATE/VERIFY_MAC', description: '50%_off campaign' }),
      keyRow({ id: 'k-4', createdAt: at(13), keySpec: 'EC_P256', keyUsage: 'SIGN/VERIFY', keyState: 'Disabled' }),
    ];
    fresh.registry.transaction(() => {
      for (const key of keys) fresh.registry.keys.insert(key);
      fresh.registry.aliases.insert({ aliasName: 'alias/billing', keyId: 'k-1', createdAt: at(20), updatedAt: at(20) });
      fresh.registry.aliases.insert({ aliasName: 'alias/a-first', keyId: 'k-1', createdAt: at(20), updatedAt: at(20) });
      fresh.registry.aliases.insert({ aliasName: 'alias/import', keyId: 'k-2', createdAt: at(20), updatedAt: at(20) });
    });
  });

  const ids = (filters: KeyListFilter[], pageNumber = 1, pageSize = 10) =>
    fresh.registry.keys.list({ filters, pageNumber, pageSize }).rows.map((row) => row.id);

  it('lists newest first (ties by id, descending) with sorted alias names and the total', () => {
    const page = fresh.registry.keys.list({ pageNumber: 1, pageSize: 10 });
    expect(page.totalCount).toBe(5);
    expect(page.rows.map((row) => row.id)).toEqual(['k-4', 'k-3', 'k-2', 'k-1', 'k-0']);
    expect(page.rows.find((row) => row.id === 'k-1')?.aliases).toEqual(['alias/a-first', 'alias/billing']);
    expect(page.rows.find((row) => row.id === 'k-0')?.aliases).toEqual([]);
    const { aliases, ...rest } = page.rows.find((row) => row.id === 'k-2')!;
    expect(aliases).toEqual(['alias/import']);
    expect(rest).toEqual(keys[2]);
  });

  it('pages through the list', () => {
    expect(ids([], 1, 2)).toEqual(['k-4', 'k-3']);
    expect(ids([], 2, 2)).toEqual(['k-2', 'k-1']);
    expect(ids([], 3, 2)).toEqual(['k-0']);
    expect(fresh.registry.keys.list({ pageNumber: 4, pageSize: 2 })).toEqual({ rows: [], totalCount: 5 });
    expect(() => fresh.registry.keys.list({ pageNumber: 0, pageSize: 2 })).toThrow(RangeError);
  });

  it.each<[string, KeyListFilter[], string[]]>([
    ['KeyState', [{ key: 'KeyState', values: ['Disabled'] }], ['k-4', 'k-1']],
    ['KeyState, two values', [{ key: 'KeyState', values: ['PendingImport', 'Disabled'] }], ['k-4', 'k-2', 'k-1']],
    ['KeySpec', [{ key: 'KeySpec', values: ['HMAC_SHA256', 'EC_P256'] }], ['k-4', 'k-3']],
    ['KeyUsage', [{ key: 'KeyUsage', values: ['SIGN/VERIFY'] }], ['k-4', 'k-1']],
    ['ProtectionLevel', [{ key: 'ProtectionLevel', values: ['HSM'] }], ['k-2']],
    ['KeyStoreId', [{ key: 'KeyStoreId', values: ['kst-default'] }], ['k-4', 'k-3', 'k-1', 'k-0']],
    ['Origin', [{ key: 'Origin', values: ['EXTERNAL'] }], ['k-2']],
    ['two filters (AND)', [{ key: 'KeyState', values: ['Disabled'] }, { key: 'KeySpec', values: ['RSA_2048'] }], ['k-1']],
    ['an unknown value', [{ key: 'KeyState', values: ['Frozen'] }], []],
    ['Text in the description, any case', [{ key: 'Text', values: ['PAYMENTS'] }], ['k-0']],
    ['Text in the id', [{ key: 'Text', values: ['k-3'] }], ['k-3']],
    ['Text in an alias name', [{ key: 'Text', values: ['billing'] }], ['k-1']],
    ['Text, several values (OR)', [{ key: 'Text', values: ['import', 'gateway'] }], ['k-2', 'k-0']],
    ['Text with LIKE wildcards taken literally', [{ key: 'Text', values: ['50%_'] }], ['k-3']],
    ['Text where % would match everything', [{ key: 'Text', values: ['%'] }], ['k-3']],
    ['Text and a state', [{ key: 'Text', values: ['alias/'] }, { key: 'KeyState', values: ['PendingImport'] }], ['k-2']],
  ])('filters by %s', (_label, filters, expected) => {
    const page = fresh.registry.keys.list({ filters, pageNumber: 1, pageSize: 10 });
    expect(page.rows.map((row) => row.id)).toEqual(expected);
    expect(page.totalCount).toBe(expected.length);
  });

  it('counts every match while returning one page', () => {
    const page = fresh.registry.keys.list({ filters: [{ key: 'KeyStoreId', values: ['kst-default'] }], pageNumber: 2, pageSize: 3 });
    expect(page.totalCount).toBe(4);
    expect(page.rows.map((row) => row.id)).toEqual(['k-0']);
  });

  it('reflects alias changes in the listed names', () => {
    fresh.registry.aliases.retarget('alias/billing', 'k-0', at(30));
    fresh.registry.aliases.delete('alias/a-first');
    const rows = fresh.registry.keys.list({ pageNumber: 1, pageSize: 10 }).rows;
    expect(rows.find((row) => row.id === 'k-0')?.aliases).toEqual(['alias/billing']);
    expect(rows.find((row) => row.id === 'k-1')?.aliases).toEqual([]);
  });
});
