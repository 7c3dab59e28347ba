import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';

/** An XKS proxy Keyward serves (migration 011): the XKS Proxy API for one key store's keys under `uriPath`. */
export interface XksProxyRow {
  id: string;
  name: string;
  uriPath: string;
  keyStoreId: string;
  createdAt: string;
}

/** A SigV4 credential of a proxy; the secret access key is kept only sealed (envelope under a CMK). */
export interface XksCredentialRow {
  accessKeyId: string;
  proxyId: string;
  secretKeyId: string;
  secretWrappedKey: Buffer;
  secretSealed: Buffer;
  createdAt: string;
}

/** A key an XKS proxy may serve: AES-256 ENCRYPT/DECRYPT, not destroyed, with its aliases. */
export interface XksExposedKeyRow {
  keyId: string;
  keyState: string;
  aliases: string[];
}

export interface XksProxiesRepository {
  /** Throws RegistryConstraintError: 'unique' on a taken id, name or path, 'foreignKey' for an unknown key store. */
  insert(row: XksProxyRow): void;
  get(id: string): XksProxyRow | null;
  /** By name. */
  list(): XksProxyRow[];
  /** False when there was no such proxy; its credentials go with it (ON DELETE CASCADE). */
  delete(id: string): boolean;
  /** Throws RegistryConstraintError: 'unique' on a taken access key id, 'foreignKey' for an unknown proxy. */
  insertCredential(row: XksCredentialRow): void;
  credential(accessKeyId: string): XksCredentialRow | null;
  /** Access key ids of the proxy's credentials, newest first. */
  accessKeyIds(proxyId: string): string[];
  deleteCredential(accessKeyId: string): boolean;
  /** The AES-256 ENCRYPT/DECRYPT keys of a key store that are not destroyed, by creation. */
  exposedKeys(keyStoreId: string): XksExposedKeyRow[];
}

const PROXY_COLUMNS = 'id, name, uri_path AS uriPath, key_store_id AS keyStoreId, created_at AS createdAt';
const CREDENTIAL_COLUMNS = `access_key_id AS accessKeyId, proxy_id AS proxyId, secret_key_id AS secretKeyId,
  secret_wrapped_key AS secretWrappedKey, secret_sealed AS secretSealed, created_at AS createdAt`;

export function createXksProxiesRepository(db: Database): XksProxiesRepository {
  const insert = db.prepare<XksProxyRow>(
    'INSERT INTO xks_proxies (id, name, uri_path, key_store_id, created_at) VALUES (@id, @name, @uriPath, @keyStoreId, @createdAt)',
  );
  const get = db.prepare<[string], XksProxyRow>(`SELECT ${PROXY_COLUMNS} FROM xks_proxies WHERE id = ?`);
  const list = db.prepare<[], XksProxyRow>(`SELECT ${PROXY_COLUMNS} FROM xks_proxies ORDER BY name`);
  const remove = db.prepare<[string]>('DELETE FROM xks_proxies WHERE id = ?');
  const insertCredential = db.prepare<XksCredentialRow>(
    `INSERT INTO xks_proxy_credentials (access_key_id, proxy_id, secret_key_id, secret_wrapped_key, secret_sealed, created_at)
     VALUES (@accessKeyId, @proxyId, @secretKeyId, @secretWrappedKey, @secretSealed, @createdAt)`,
  );
  const credential = db.prepare<[string], XksCredentialRow>(`SELECT ${CREDENTIAL_COLUMNS} FROM xks_proxy_credentials WHERE access_key_id = ?`);
  // rowid breaks ties within one millisecond: the newest insert is first.
  const accessKeyIds = db
    .prepare<[string], { accessKeyId: string }>('SELECT access_key_id AS accessKeyId FROM xks_proxy_credentials WHERE proxy_id = ? ORDER BY created_at DESC, rowid DESC');
  const removeCredential = db.prepare<[string]>('DELETE FROM xks_proxy_credentials WHERE access_key_id = ?');
  const exposedKeys = db.prepare<[string], { keyId: string; keyState: string; aliases: string | null }>(
    `SELECT k.id AS keyId, k.key_state AS keyState, json_group_array(a.alias_name) FILTER (WHERE a.alias_name IS NOT NULL) AS aliases
       FROM keys k LEFT JOIN aliases a ON a.key_id = k.id
      WHERE k.key_store_id = ? AND k.key_spec = 'Aliyun_AES_256' AND k.key_usage = 'ENCRYPT/DECRYPT' AND k.deleted_at IS NULL
      GROUP BY k.id ORDER BY k.created_at, k.id`,
  );

  return {
    insert: (row) => {
      translateConstraint(() => insert.run(row));
    },
    get: (id) => get.get(id) ?? null,
    list: () => list.all(),
    delete: (id) => remove.run(id).changes > 0,
    insertCredential: (row) => {
      translateConstraint(() => insertCredential.run(row));
    },
    credential: (accessKeyId) => credential.get(accessKeyId) ?? null,
    accessKeyIds: (proxyId) => accessKeyIds.all(proxyId).map((row) => row.accessKeyId),
    deleteCredential: (accessKeyId) => removeCredential.run(accessKeyId).changes > 0,
    exposedKeys: (keyStoreId) =>
      exposedKeys.all(keyStoreId).map((row) => ({ keyId: row.keyId, keyState: row.keyState, aliases: (JSON.parse(row.aliases ?? '[]') as string[]).sort() })),
  };
}
