import type { Migration } from './types';

/*
 * External key stores (issue 13, part 2). key_stores.type admits EXTERNAL_KEY_STORE and keys.origin
 * EXTERNAL_KEY_STORE, whose keys carry the id of their key at the XKS proxy. SQLite cannot widen a
 * CHECK in place, so both tables are rebuilt with the same columns and indexes (SQLite's documented
 * recipe; the migration runner has foreign keys off and checks them before commit; references to
 * them resolve by name to the rebuilt tables).
 *
 * external_key_stores holds each store's proxy: where it is, and its SigV4 credential, whose secret
 * is kept only sealed like the access key secrets (an envelope under alias/keyward/access-keys).
 * A key's inner (Keyward-side) material lives in the default key store's token, under the key's
 * own versions: the double encryption of AWS KMS external key stores.
 */
const SQL = `
CREATE TABLE key_stores_013 (
  id                    TEXT PRIMARY KEY,
  name                  TEXT NOT NULL UNIQUE,
  type                  TEXT NOT NULL CHECK (type IN ('DEFAULT', 'HSM_CLUSTER', 'EXTERNAL_KEY_STORE')),
  protection_level      TEXT NOT NULL CHECK (protection_level IN ('SOFTWARE', 'HSM')),
  cluster_id            TEXT,
  module_id             TEXT REFERENCES modules(id),
  token_serial          TEXT,
  token_label           TEXT,
  initialized           INTEGER NOT NULL DEFAULT 0 CHECK (initialized IN (0, 1)),
  connection_state      TEXT NOT NULL DEFAULT 'DISCONNECTED'
                        CHECK (connection_state IN ('CONNECTED', 'CONNECTING', 'DISCONNECTED', 'DISCONNECTING', 'FAILED')),
  connection_error_code TEXT,
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL,
  default_for_hsm_keys  INTEGER NOT NULL DEFAULT 0 CHECK (default_for_hsm_keys IN (0, 1))
);
INSERT INTO key_stores_013 (id, name, type, protection_level, cluster_id, module_id, token_serial, token_label, initialized,
    connection_state, connection_error_code, created_at, updated_at, default_for_hsm_keys)
  SELECT id, name, type, protection_level, cluster_id, module_id, token_serial, token_label, initialized,
    connection_state, connection_error_code, created_at, updated_at, default_for_hsm_keys FROM key_stores;
DROP TABLE key_stores;
ALTER TABLE key_stores_013 RENAME TO key_stores;
CREATE UNIQUE INDEX key_stores_cluster ON key_stores(cluster_id) WHERE cluster_id IS NOT NULL;
CREATE UNIQUE INDEX key_stores_single_default ON key_stores(type) WHERE type = 'DEFAULT';
CREATE INDEX key_stores_module ON key_stores(module_id);
CREATE UNIQUE INDEX key_stores_one_default_for_hsm_keys ON key_stores (default_for_hsm_keys) WHERE default_for_hsm_keys = 1;

CREATE TABLE keys_013 (
  id                   TEXT PRIMARY KEY,
  description          TEXT NOT NULL DEFAULT '',
  key_spec             TEXT NOT NULL,
  key_usage            TEXT NOT NULL,
  origin               TEXT NOT NULL CHECK (origin IN ('Aliyun_KMS', 'EXTERNAL', 'EXTERNAL_KEY_STORE')),
  protection_level     TEXT NOT NULL CHECK (protection_level IN ('SOFTWARE', 'HSM')),
  key_store_id         TEXT REFERENCES key_stores(id) ON DELETE SET NULL,
  key_state            TEXT NOT NULL CHECK (key_state IN ('Enabled', 'Disabled', 'PendingDeletion', 'PendingImport')),
  creator              TEXT NOT NULL,
  created_at           TEXT NOT NULL,
  delete_date          TEXT,
  material_expire_time TEXT,
  primary_version_id   TEXT,
  automatic_rotation   TEXT NOT NULL DEFAULT 'Disabled' CHECK (automatic_rotation IN ('Enabled', 'Disabled', 'Suspended')),
  rotation_interval    TEXT,
  next_rotation_date   TEXT,
  last_rotation_date   TEXT,
  deleted_at           TEXT,
  xks_key_id           TEXT CHECK (length(xks_key_id) BETWEEN 1 AND 128),
  CHECK (key_store_id IS NOT NULL OR deleted_at IS NOT NULL),
  CHECK ((origin = 'EXTERNAL_KEY_STORE') = (xks_key_id IS NOT NULL)),
  FOREIGN KEY (id, primary_version_id) REFERENCES key_versions(key_id, id) DEFERRABLE INITIALLY DEFERRED
);
INSERT INTO keys_013 (id, description, key_spec, key_usage, origin, protection_level, key_store_id, key_state, creator, created_at,
    delete_date, material_expire_time, primary_version_id, automatic_rotation, rotation_interval, next_rotation_date,
    last_rotation_date, deleted_at)
  SELECT id, description, key_spec, key_usage, origin, protection_level, key_store_id, key_state, creator, created_at,
    delete_date, material_expire_time, primary_version_id, automatic_rotation, rotation_interval, next_rotation_date,
    last_rotation_date, deleted_at FROM keys;
DROP TABLE keys;
ALTER TABLE keys_013 RENAME TO keys;
CREATE INDEX keys_created    ON keys(deleted_at, created_at, id, description);
CREATE INDEX keys_state      ON keys(key_state, deleted_at, created_at, id);
CREATE INDEX keys_spec       ON keys(key_spec, deleted_at, created_at, id);
CREATE INDEX keys_usage      ON keys(key_usage, deleted_at, created_at, id);
CREATE INDEX keys_protection ON keys(protection_level, deleted_at, created_at, id);
CREATE INDEX keys_origin     ON keys(origin, deleted_at, created_at, id);
CREATE INDEX keys_store      ON keys(key_store_id, deleted_at, created_at, id);
CREATE INDEX keys_tombstones ON keys(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX keys_material_expiry ON keys(material_expire_time) WHERE material_expire_time IS NOT NULL;
CREATE INDEX keys_rotation_due ON keys(next_rotation_date) WHERE automatic_rotation = 'Enabled' AND deleted_at IS NULL;
CREATE INDEX keys_deletion_due ON keys(delete_date) WHERE key_state = 'PendingDeletion' AND deleted_at IS NULL;

CREATE TABLE external_key_stores (
  key_store_id       TEXT PRIMARY KEY REFERENCES key_stores(id) ON DELETE CASCADE,
  uri_endpoint       TEXT NOT NULL CHECK (uri_endpoint LIKE 'https://%' AND length(uri_endpoint) <= 128),
  uri_path           TEXT NOT NULL CHECK (uri_path LIKE '%/kms/xks/v1' AND length(uri_path) <= 128),
  connectivity       TEXT NOT NULL CHECK (connectivity IN ('PUBLIC_ENDPOINT')),
  ca_certificate     TEXT,
  access_key_id      TEXT NOT NULL,
  secret_key_id      TEXT NOT NULL,
  secret_wrapped_key BLOB NOT NULL,
  secret_sealed      BLOB NOT NULL,
  updated_at         TEXT NOT NULL
);
`;

export const migration013ExternalKeyStores: Migration = {
  version: 13,
  name: 'external_key_stores',
  up(db) {
    db.exec(SQL);
  },
};
