import type { Database } from 'better-sqlite3';
import type { ConnectionErrorCode, ConnectionState, KeyStoreType, ProtectionLevel } from '../../../../shared/contract';
import { translateConstraint } from '../errors';
import { StatementCache, toFlag } from '../sql';

export type { KeyStoreType };

export interface KeyStoreRow {
  id: string;
  name: string;
  type: KeyStoreType;
  protectionLevel: ProtectionLevel;
  clusterId: string | null;
  moduleId: string | null;
  tokenSerial: string | null;
  tokenLabel: string | null;
  initialized: boolean;
  connectionState: ConnectionState;
  connectionErrorCode: ConnectionErrorCode | null;
  createdAt: string;
  updatedAt: string;
}

/** Fields an UpdateKeyStore, InitializeDefaultKeyStore or CreateKeyStore follow-up may change. */
export type KeyStorePatch = Partial<Pick<KeyStoreRow, 'name' | 'clusterId' | 'moduleId' | 'tokenSerial' | 'tokenLabel' | 'initialized'>>;

export interface KeyStoresRepository {
  /** Throws RegistryConstraintError('unique') on a duplicate id or name, a second DEFAULT store or a cluster already bound. */
  insert(row: KeyStoreRow): void;
  get(id: string): KeyStoreRow | null;
  getByClusterId(clusterId: string): KeyStoreRow | null;
  getDefault(): KeyStoreRow | null;
  /** The store an officer marked as the default for HSM keys, if any (one at most). */
  getDefaultForHsmKeys(): KeyStoreRow | null;
  /** Marks the store as the default for HSM keys (unmarking any other), or removes its mark. */
  setDefaultForHsmKeys(id: string, isDefault: boolean, updatedAt: string): boolean;
  list(): KeyStoreRow[];
  update(id: string, patch: KeyStorePatch, updatedAt: string): boolean;
  setConnectionState(id: string, state: ConnectionState, errorCode: ConnectionErrorCode | null, updatedAt: string): boolean;
  /** Keys that are not tombstoned, in any key state. */
  countKeys(id: string): number;
  /** Live key count of every store that has at least one. */
  countKeysByStore(): Map<string, number>;
  /** Throws RegistryConstraintError('check') while live keys remain in the store. */
  delete(id: string): boolean;
}

type StoredKeyStore = Omit<KeyStoreRow, 'initialized'> & { initialized: number };

const COLUMNS = `id, name, type, protection_level AS protectionLevel, cluster_id AS clusterId, module_id AS moduleId,
  token_serial AS tokenSerial, token_label AS tokenLabel, initialized, connection_state AS connectionState,
  connection_error_code AS connectionErrorCode, created_at AS createdAt, updated_at AS updatedAt`;

const PATCH_COLUMNS: Record<keyof KeyStorePatch, string> = {
  name: 'name',
  clusterId: 'cluster_id',
  moduleId: 'module_id',
  tokenSerial: 'token_serial',
  tokenLabel: 'token_label',
  initialized: 'initialized',
};

function fromStored(row: StoredKeyStore): KeyStoreRow {
  return { ...row, initialized: row.initialized === 1 };
}

export function createKeyStoresRepository(db: Database): KeyStoresRepository {
  const cache = new StatementCache(db, 64);
  const insert = db.prepare<[StoredKeyStore]>(
    `INSERT INTO key_stores (id, name, type, protection_level, cluster_id, module_id, token_serial, token_label,
       initialized, connection_state, connection_error_code, created_at, updated_at)
     VALUES (@id, @name, @type, @protectionLevel, @clusterId, @moduleId, @tokenSerial, @tokenLabel,
       @initialized, @connectionState, @connectionErrorCode, @createdAt, @updatedAt)`,
  );
  const get = db.prepare<[string], StoredKeyStore>(`SELECT ${COLUMNS} FROM key_stores WHERE id = ?`);
  const getByCluster = db.prepare<[string], StoredKeyStore>(`SELECT ${COLUMNS} FROM key_stores WHERE cluster_id = ?`);
  const getDefault = db.prepare<[], StoredKeyStore>(`SELECT ${COLUMNS} FROM key_stores WHERE type = 'DEFAULT'`);
  const list = db.prepare<[], StoredKeyStore>(`SELECT ${COLUMNS} FROM key_stores ORDER BY created_at, id`);
  const getDefaultForHsm = db.prepare<[], StoredKeyStore>(`SELECT ${COLUMNS} FROM key_stores WHERE default_for_hsm_keys = 1`);
  const clearDefaultForHsm = db.prepare<[string, string]>(
    'UPDATE key_stores SET default_for_hsm_keys = 0, updated_at = ? WHERE default_for_hsm_keys = 1 AND id <> ?',
  );
  const markDefaultForHsm = db.prepare<[number, string, string]>('UPDATE key_stores SET default_for_hsm_keys = ?, updated_at = ? WHERE id = ?');
  const setConnection = db.prepare<[string, string | null, string, string]>(
    'UPDATE key_stores SET connection_state = ?, connection_error_code = ?, updated_at = ? WHERE id = ?',
  );
  const countKeys = db.prepare<[string], { count: number }>(
    'SELECT count(*) AS count FROM keys WHERE key_store_id = ? AND deleted_at IS NULL',
  );
  const countByStore = db.prepare<[], { keyStoreId: string; count: number }>(
    `SELECT key_store_id AS keyStoreId, count(*) AS count FROM keys
     WHERE deleted_at IS NULL AND key_store_id IS NOT NULL GROUP BY key_store_id`,
  );
  const remove = db.prepare<[string]>('DELETE FROM key_stores WHERE id = ?');

  function update(id: string, patch: KeyStorePatch, updatedAt: string): boolean {
    const fields = (Object.keys(PATCH_COLUMNS) as (keyof KeyStorePatch)[]).filter((field) => patch[field] !== undefined);
    const assignments = fields.map((field) => `${PATCH_COLUMNS[field]} = ?`);
    const values = fields.map((field) => {
      const value = patch[field];
      return typeof value === 'boolean' ? toFlag(value) : (value ?? null);
    });
    const sql = `UPDATE key_stores SET ${[...assignments, 'updated_at = ?'].join(', ')} WHERE id = ?`;
    return translateConstraint(() => cache.get<unknown[], never>(sql).run(...values, updatedAt, id).changes > 0);
  }

  return {
    insert: (row) => {
      translateConstraint(() => insert.run({ ...row, initialized: toFlag(row.initialized) }));
    },
    get: (id) => {
      const row = get.get(id);
      return row ? fromStored(row) : null;
    },
    getByClusterId: (clusterId) => {
      const row = getByCluster.get(clusterId);
      return row ? fromStored(row) : null;
    },
    getDefault: () => {
      const row = getDefault.get();
      return row ? fromStored(row) : null;
    },
    list: () => list.all().map(fromStored),
    getDefaultForHsmKeys: () => {
      const row = getDefaultForHsm.get();
      return row ? fromStored(row) : null;
    },
    setDefaultForHsmKeys: (id, isDefault, updatedAt) =>
      translateConstraint(() => {
        // Callers run inside their audit transaction, so unmarking and marking land together.
        if (isDefault) clearDefaultForHsm.run(updatedAt, id);
        return markDefaultForHsm.run(toFlag(isDefault), updatedAt, id).changes > 0;
      }),
    update,
    setConnectionState: (id, state, errorCode, updatedAt) =>
      translateConstraint(() => setConnection.run(state, errorCode, updatedAt, id).changes > 0),
    countKeys: (id) => countKeys.get(id)?.count ?? 0,
    countKeysByStore: () => new Map(countByStore.all().map(({ keyStoreId, count }) => [keyStoreId, count])),
    delete: (id) => translateConstraint(() => remove.run(id).changes > 0),
  };
}
