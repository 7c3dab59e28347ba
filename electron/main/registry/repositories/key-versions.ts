import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';

/** One generation of a key's material; `objectId` is the CKA_ID (lowercase hex) of its HSM objects. */
export interface KeyVersionRow {
  id: string;
  keyId: string;
  objectId: string;
  createdAt: string;
}

export interface KeyVersionsRepository {
  /** Throws RegistryConstraintError: 'unique' (id or objectId taken), 'foreignKey' (unknown key), 'check' (objectId not hex). */
  insert(row: KeyVersionRow): void;
  get(id: string): KeyVersionRow | null;
  getByObjectId(objectId: string): KeyVersionRow | null;
  /** Oldest first. */
  listByKey(keyId: string): KeyVersionRow[];
}

const COLUMNS = 'id, key_id AS keyId, object_id AS objectId, created_at AS createdAt';

export function createKeyVersionsRepository(db: Database): KeyVersionsRepository {
  const insert = db.prepare<[KeyVersionRow]>(
    'INSERT INTO key_versions (id, key_id, object_id, created_at) VALUES (@id, @keyId, @objectId, @createdAt)',
  );
  const get = db.prepare<[string], KeyVersionRow>(`SELECT ${COLUMNS} FROM key_versions WHERE id = ?`);
  const getByObject = db.prepare<[string], KeyVersionRow>(`SELECT ${COLUMNS} FROM key_versions WHERE object_id = ?`);
  const listByKey = db.prepare<[string], KeyVersionRow>(
    `SELECT ${COLUMNS} FROM key_versions WHERE key_id = ? ORDER BY created_at, rowid`,
  );

  return {
    insert: (row) => {
      translateConstraint(() => insert.run(row));
    },
    get: (id) => get.get(id) ?? null,
    getByObjectId: (objectId) => getByObject.get(objectId) ?? null,
    listByKey: (keyId) => listByKey.all(keyId),
  };
}
