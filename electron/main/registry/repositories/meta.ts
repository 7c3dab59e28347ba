import type { Database } from 'better-sqlite3';

/** Installation-wide settings (owner id, region, first-run markers), as plain strings. */
export interface MetaRepository {
  get(key: string): string | null;
  set(key: string, value: string): void;
  delete(key: string): boolean;
  all(): Record<string, string>;
}

export function createMetaRepository(db: Database): MetaRepository {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const set = db.prepare<[string, string]>(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare<[string]>('DELETE FROM meta WHERE key = ?');
  const all = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM meta ORDER BY key');

  return {
    get: (key) => get.get(key)?.value ?? null,
    set: (key, value) => {
      set.run(key, value);
    },
    delete: (key) => remove.run(key).changes > 0,
    all: () => Object.fromEntries(all.all().map(({ key, value }) => [key, value])),
  };
}
