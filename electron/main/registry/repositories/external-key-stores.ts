import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';

/** The XKS proxy of an external key store (migration 013); its credential's secret only sealed. */
export interface ExternalKeyStoreRow {
  keyStoreId: string;
  uriEndpoint: string;
  uriPath: string;
  connectivity: 'PUBLIC_ENDPOINT';
  caCertificate: string | null;
  accessKeyId: string;
  secretKeyId: string;
  secretWrappedKey: Buffer;
  secretSealed: Buffer;
  updatedAt: string;
}

export interface ExternalKeyStoresRepository {
  /** Throws RegistryConstraintError('foreignKey') for an unknown key store, ('unique') for a second row. */
  insert(row: ExternalKeyStoreRow): void;
  get(keyStoreId: string): ExternalKeyStoreRow | null;
  /** Replaces every field but the key store id (UpdateKeyStore). */
  replace(row: ExternalKeyStoreRow): boolean;
}

const COLUMNS = `key_store_id AS keyStoreId, uri_endpoint AS uriEndpoint, uri_path AS uriPath, connectivity,
  ca_certificate AS caCertificate, access_key_id AS accessKeyId, secret_key_id AS secretKeyId,
  secret_wrapped_key AS secretWrappedKey, secret_sealed AS secretSealed, updated_at AS updatedAt`;

export function createExternalKeyStoresRepository(db: Database): ExternalKeyStoresRepository {
  const insert = db.prepare<ExternalKeyStoreRow>(
    `INSERT INTO external_key_stores (key_store_id, uri_endpoint, uri_path, connectivity, ca_certificate, access_key_id,
       secret_key_id, secret_wrapped_key, secret_sealed, updated_at)
     VALUES (@keyStoreId, @uriEndpoint, @uriPath, @connectivity, @caCertificate, @accessKeyId, @secretKeyId,
       @secretWrappedKey, @secretSealed, @updatedAt)`,
  );
  const get = db.prepare<[string], ExternalKeyStoreRow>(`SELECT ${COLUMNS} FROM external_key_stores WHERE key_store_id = ?`);
  const replace = db.prepare<ExternalKeyStoreRow>(
    `UPDATE external_key_stores SET uri_endpoint = @uriEndpoint, uri_path = @uriPath, connectivity = @connectivity,
       ca_certificate = @caCertificate, access_key_id = @accessKeyId, secret_key_id = @secretKeyId,
       secret_wrapped_key = @secretWrappedKey, secret_sealed = @secretSealed, updated_at = @updatedAt
     WHERE key_store_id = @keyStoreId`,
  );
  return {
    insert: (row) => {
      translateConstraint(() => insert.run(row));
    },
    get: (keyStoreId) => get.get(keyStoreId) ?? null,
    replace: (row) => translateConstraint(() => replace.run(row).changes > 0),
  };
}
