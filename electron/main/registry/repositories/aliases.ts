import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';
import { type Page, type PageRequest, limitOffset } from '../sql';

export interface AliasRow {
  aliasName: string;
  keyId: string;
  createdAt: string;
  updatedAt: string;
}

export interface AliasesRepository {
  /** Throws RegistryConstraintError: 'unique' when the name is taken, 'foreignKey' for an unknown key. */
  insert(row: AliasRow): void;
  get(aliasName: string): AliasRow | null;
  /** The key id an alias points to, or null. */
  resolve(aliasName: string): string | null;
  /** Points an existing alias at another key (UpdateAlias). */
  retarget(aliasName: string, keyId: string, updatedAt: string): boolean;
  delete(aliasName: string): boolean;
  deleteByKey(keyId: string): number;
  /** Sorted by name. */
  listByKey(keyId: string): AliasRow[];
  /** Sorted by name. */
  list(page: PageRequest): Page<AliasRow>;
}

const COLUMNS = 'alias_name AS aliasName, key_id AS keyId, created_at AS createdAt, updated_at AS updatedAt';

export function createAliasesRepository(db: Database): AliasesRepository {
  const insert = db.prepare<[AliasRow]>(
    'INSERT INTO aliases (alias_name, key_id, created_at, updated_at) VALUES (@aliasName, @keyId, @createdAt, @updatedAt)',
  );
  const get = db.prepare<[string], AliasRow>(`SELECT ${COLUMNS} FROM aliases WHERE alias_name = ?`);
  const retarget = db.prepare<[string, string, string]>('UPDATE aliases SET key_id = ?, updated_at = ? WHERE alias_name = ?');
  const remove = db.prepare<[string]>('DELETE FROM aliases WHERE alias_name = ?');
  const removeByKey = db.prepare<[string]>('DELETE FROM aliases WHERE key_id = ?');
  const listByKey = db.prepare<[string], AliasRow>(`SELECT ${COLUMNS} FROM aliases WHERE key_id = ? ORDER BY alias_name`);
  const count = db.prepare<[], { count: number }>('SELECT count(*) AS count FROM aliases');
  const page = db.prepare<[number, number], AliasRow>(`SELECT ${COLUMNS} FROM aliases ORDER BY alias_name LIMIT ? OFFSET ?`);
  const readPage = db.transaction((request: PageRequest): Page<AliasRow> => {
    const [limit, offset] = limitOffset(request);
    return { totalCount: count.get()?.count ?? 0, rows: page.all(limit, offset) };
  });

  return {
    insert: (row) => {
      translateConstraint(() => insert.run(row));
    },
    get: (aliasName) => get.get(aliasName) ?? null,
    resolve: (aliasName) => get.get(aliasName)?.keyId ?? null,
    retarget: (aliasName, keyId, updatedAt) => translateConstraint(() => retarget.run(keyId, updatedAt, aliasName).changes > 0),
    delete: (aliasName) => remove.run(aliasName).changes > 0,
    deleteByKey: (keyId) => removeByKey.run(keyId).changes,
    listByKey: (keyId) => listByKey.all(keyId),
    list: (request) => readPage.deferred(request),
  };
}
