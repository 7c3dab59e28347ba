import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';

/** One generation of a key's material; `objectId` is the CKA_ID (lowercase hex) of its HSM objects. */
export interface KeyVersionRow {
  id: string;
  keyId: string;
  objectId: string;
  createdAt: string;
}

/** A version with what reconciliation needs to know about its key. */
export interface StoredKeyVersionRow extends KeyVersionRow {
  keySpec: string;
  keyState: string;
  /** The key was deleted (tombstone): its material is meant to be gone. */
  keyDeleted: boolean;
}

export interface KeyVersionsRepository {
  /** Throws RegistryConstraintError: 'unique' (id or objectId taken), 'foreignKey' (unknown key), 'check' (objectId not hex). */
  insert(row: KeyVersionRow): void;
  get(id: string): KeyVersionRow | null;
  getByObjectId(objectId: string): KeyVersionRow | null;
  /** Oldest first. */
  listByKey(keyId: string): KeyVersionRow[];
  /** Every version of every key (tombstones included) of a key store, oldest first. */
  listByKeyStore(keyStoreId: string): StoredKeyVersionRow[];
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
  const listByKeyStore = db.prepare<[string, string], Omit<StoredKeyVersionRow, 'keyDeleted'> & { keyDeleted: number }>(
    `SELECT v.id, v.key_id AS keyId, v.object_id AS objectId, v.created_at AS createdAt, k.key_spec AS keySpec,
            k.key_state AS keyState, k.deleted_at IS NOT NULL AS keyDeleted
       FROM key_versions v JOIN keys k ON k.id = v.key_id
      WHERE k.key_store_id = ?
         -- External keys' own material lives in the default key store's token.
         OR (k.origin = 'EXTERNAL_KEY_STORE' AND ? = (SELECT id FROM key_stores WHERE type = 'DEFAULT'))
      ORDER BY v.created_at, v.rowid`,
  );

  return {
    insert: (row) => {
      translateConstraint(() => insert.run(row));
    },
    get: (id) => get.get(id) ?? null,
    getByObjectId: (objectId) => getByObject.get(objectId) ?? null,
    listByKey: (keyId) => listByKey.all(keyId),
    listByKeyStore: (keyStoreId) => listByKeyStore.all(keyStoreId, keyStoreId).map((row) => ({ ...row, keyDeleted: row.keyDeleted === 1 })),
  };
}
