import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';

/** One outstanding GetParametersForImport: which key, which wrapping key pair, until when. */
export interface ImportTokenRow {
  /** SHA-256 (hex) of the ImportToken; the token itself is never stored. */
  tokenHash: string;
  keyId: string;
  keyStoreId: string;
  /** CKA_ID (32 hex chars) of the wrapping key pair in the HSM. */
  wrappingObjectId: string;
  /** RSAES_* for secret keys, RSA_AES_KEY_WRAP_* for key pairs (migration 007 allows them). */
  wrappingAlgorithm: 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'RSA_AES_KEY_WRAP_SHA_1' | 'RSA_AES_KEY_WRAP_SHA_256';
  createdAt: string;
  expiresAt: string;
}

export interface ImportTokensRepository {
  /** Throws RegistryConstraintError: 'foreignKey' for an unknown key, 'unique' for a reused hash or object id. */
  insert(row: ImportTokenRow): void;
  getByHash(tokenHash: string): ImportTokenRow | null;
  delete(tokenHash: string): boolean;
  listByKey(keyId: string): ImportTokenRow[];
  listByKeyStore(keyStoreId: string): ImportTokenRow[];
  /** Tokens whose expiry is at or before `now`, oldest first. */
  listExpired(now: string): ImportTokenRow[];
}

const COLUMNS = `token_hash AS tokenHash, key_id AS keyId, key_store_id AS keyStoreId, wrapping_object_id AS wrappingObjectId,
  wrapping_algorithm AS wrappingAlgorithm, created_at AS createdAt, expires_at AS expiresAt`;

export function createImportTokensRepository(db: Database): ImportTokensRepository {
  const insert = db.prepare<[ImportTokenRow]>(
    `INSERT INTO key_import_tokens (token_hash, key_id, key_store_id, wrapping_object_id, wrapping_algorithm, created_at, expires_at)
     VALUES (@tokenHash, @keyId, @keyStoreId, @wrappingObjectId, @wrappingAlgorithm, @createdAt, @expiresAt)`,
  );
  const getByHash = db.prepare<[string], ImportTokenRow>(`SELECT ${COLUMNS} FROM key_import_tokens WHERE token_hash = ?`);
  const remove = db.prepare<[string]>('DELETE FROM key_import_tokens WHERE token_hash = ?');
  const listByKey = db.prepare<[string], ImportTokenRow>(`SELECT ${COLUMNS} FROM key_import_tokens WHERE key_id = ? ORDER BY created_at`);
  const listByKeyStore = db.prepare<[string], ImportTokenRow>(`SELECT ${COLUMNS} FROM key_import_tokens WHERE key_store_id = ? ORDER BY created_at`);
  const listExpired = db.prepare<[string], ImportTokenRow>(
    `SELECT ${COLUMNS} FROM key_import_tokens WHERE expires_at <= ? ORDER BY expires_at`,
  );
  return {
    insert: (row) => {
      translateConstraint(() => insert.run(row));
    },
    getByHash: (tokenHash) => getByHash.get(tokenHash) ?? null,
    delete: (tokenHash) => remove.run(tokenHash).changes > 0,
    listByKey: (keyId) => listByKey.all(keyId),
    listByKeyStore: (keyStoreId) => listByKeyStore.all(keyStoreId),
    listExpired: (now) => listExpired.all(now),
  };
}
