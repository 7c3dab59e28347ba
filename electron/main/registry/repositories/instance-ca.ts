import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';

/**
 * The instance CA (migration 010): one row. Its private key lives in the default key store's token
 * under `objectId` (CKA_ID); the row keeps the self-signed certificate applications trust.
 */
export interface InstanceCaRow {
  keyStoreId: string;
  objectId: string;
  certificatePem: string;
  createdAt: string;
}

export interface InstanceCaRepository {
  get(): InstanceCaRow | null;
  /** Throws RegistryConstraintError 'unique' when another process stored the CA first. */
  insert(row: InstanceCaRow): void;
}

export function createInstanceCaRepository(db: Database): InstanceCaRepository {
  const get = db.prepare<[], InstanceCaRow>(
    `SELECT key_store_id AS keyStoreId, object_id AS objectId, certificate_pem AS certificatePem, created_at AS createdAt
     FROM instance_ca WHERE id = 1`,
  );
  const insert = db.prepare<InstanceCaRow>(
    `INSERT INTO instance_ca (id, key_store_id, object_id, certificate_pem, created_at)
     VALUES (1, @keyStoreId, @objectId, @certificatePem, @createdAt)`,
  );
  return {
    get: () => get.get() ?? null,
    insert(row) {
      translateConstraint(() => insert.run(row));
    },
  };
}
