import { describe, expect, it } from 'vitest';
import { keyRow, keyStoreRow, freshRegistryPerTest } from './support';

const fresh = freshRegistryPerTest((registry) => {
  registry.keyStores.insert(keyStoreRow());
});

function analyzedRows(): number | null {
  const db = fresh.scratch.raw();
  try {
    const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'").get();
    if (!exists) return null;
    const row = db.prepare<[], { stat: string }>("SELECT stat FROM sqlite_stat1 WHERE tbl = 'keys' AND idx = 'sqlite_autoindex_keys_1'").get();
    return row ? Number.parseInt(row.stat, 10) : null;
  } finally {
    db.close();
  }
}

function insertKeys(count: number): void {
  fresh.registry.transaction(() => {
    for (let index = 0; index < count; index += 1) fresh.registry.keys.insert(keyRow());
  });
}

describe('planner statistics for keys', () => {
  it('are left to SQLite defaults while the table is small', () => {
    insertKeys(10);
    fresh.registry.keys.list({ pageNumber: 1, pageSize: 10 });
    fresh.registry.close();
    fresh.scratch.open().close();
    expect(analyzedRows()).toBeNull();
  });

  it('are gathered by a full ANALYZE once a bulk insert makes the table large, and again when it doubles', () => {
    insertKeys(1200);
    expect(analyzedRows()).toBeNull();
    fresh.registry.keys.list({ pageNumber: 1, pageSize: 10 });
    expect(analyzedRows()).toBe(1200);

    insertKeys(500);
    fresh.registry.keys.list({ pageNumber: 1, pageSize: 10 });
    // 1700 rows is not yet double the 1200 analyzed: the statistics stand.
    expect(analyzedRows()).toBe(1200);

    insertKeys(800);
    fresh.registry.close();
    // Reopening checks too, without waiting for a list call.
    fresh.scratch.open().close();
    expect(analyzedRows()).toBe(2500);
  });
});

describe('fresh.registry close hooks', () => {
  it('run before the database closes, can be unregistered, and a failing one still closes the file', () => {
    const calls: string[] = [];
    fresh.registry.onClose(() => calls.push('first'));
    const unregister = fresh.registry.onClose(() => calls.push('removed'));
    fresh.registry.onClose(() => {
      calls.push('failing');
      throw new Error('hook failed');
    });
    unregister();
    expect(() => fresh.registry.close()).toThrow('hook failed');
    expect(calls).toEqual(['first', 'failing']);
    expect(() => fresh.registry.meta.get('x')).toThrow();
    fresh.registry.close();
  });
});
