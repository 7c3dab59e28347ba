import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Registry } from '../../../electron/main/registry';
import { type Scratch, keyRow, keyStoreRow, scratch } from './support';

let tmp: Scratch;
let registry: Registry;
beforeEach(() => {
  tmp = scratch();
  registry = tmp.open();
  registry.keyStores.insert(keyStoreRow());
});
afterEach(() => tmp.cleanup());

function analyzedRows(): number | null {
  const db = tmp.raw();
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
  registry.transaction(() => {
    for (let index = 0; index < count; index += 1) registry.keys.insert(keyRow());
  });
}

describe('planner statistics for keys', () => {
  it('are left to SQLite defaults while the table is small', () => {
    insertKeys(10);
    registry.keys.list({ pageNumber: 1, pageSize: 10 });
    registry.close();
    tmp.open().close();
    expect(analyzedRows()).toBeNull();
  });

  it('are gathered by a full ANALYZE once a bulk insert makes the table large, and again when it doubles', () => {
    insertKeys(1200);
    expect(analyzedRows()).toBeNull();
    registry.keys.list({ pageNumber: 1, pageSize: 10 });
    expect(analyzedRows()).toBe(1200);

    insertKeys(500);
    registry.keys.list({ pageNumber: 1, pageSize: 10 });
    // 1700 rows is not yet double the 1200 analyzed: the statistics stand.
    expect(analyzedRows()).toBe(1200);

    insertKeys(800);
    registry.close();
    // Reopening checks too, without waiting for a list call.
    tmp.open().close();
    expect(analyzedRows()).toBe(2500);
  });
});

describe('registry close hooks', () => {
  it('run before the database closes, can be unregistered, and a failing one still closes the file', () => {
    const calls: string[] = [];
    registry.onClose(() => calls.push('first'));
    const unregister = registry.onClose(() => calls.push('removed'));
    registry.onClose(() => {
      calls.push('failing');
      throw new Error('hook failed');
    });
    unregister();
    expect(() => registry.close()).toThrow('hook failed');
    expect(calls).toEqual(['first', 'failing']);
    expect(() => registry.meta.get('x')).toThrow();
    registry.close();
  });
});
