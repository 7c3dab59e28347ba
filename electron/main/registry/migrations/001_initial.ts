import type { Migration } from './types';

/*
 * Design notes for the first schema:
 * - Times are ISO-8601 UTC strings written by the app (`toISOString()`), so text order is time order.
 * - Absent optional values are NULL here; the contract's empty strings are a wire convention.
 * - key_spec, key_usage and connection_error_code carry no CHECK: those lists grow with new
 *   mechanisms and HSM error mappings, and widening a CHECK means rebuilding the table. Columns
 *   that drive security decisions (key_state, outcome, origin, protection level) are checked.
 * - Every index on `keys` that serves ListKeys is (filter column, deleted_at, created_at, id): the
 *   live keys with one filter value are one contiguous range already in "newest first" order, and
 *   counting them never leaves the index. Partial indexes (WHERE deleted_at IS NULL) were measured
 *   and rejected: the planner does not treat them as covering, and with bound parameters it
 *   estimates an average selectivity, so counting Origin=EXTERNAL fell back to a 26 ms table scan.
 */
const SQL = `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE modules (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  path       TEXT NOT NULL,
  env_json   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(env_json)),
  builtin    INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
  created_at TEXT NOT NULL
);

CREATE TABLE key_stores (
  id                    TEXT PRIMARY KEY,
  name                  TEXT NOT NULL UNIQUE,
  type                  TEXT NOT NULL CHECK (type IN ('DEFAULT', 'HSM_CLUSTER')),
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
  updated_at            TEXT NOT NULL
);
-- One cluster binds to one key store; there is one default key store.
CREATE UNIQUE INDEX key_stores_cluster ON key_stores(cluster_id) WHERE cluster_id IS NOT NULL;
CREATE UNIQUE INDEX key_stores_single_default ON key_stores(type) WHERE type = 'DEFAULT';
CREATE INDEX key_stores_module ON key_stores(module_id);

CREATE TABLE keys (
  id                   TEXT PRIMARY KEY,
  description          TEXT NOT NULL DEFAULT '',
  key_spec             TEXT NOT NULL,
  key_usage            TEXT NOT NULL,
  origin               TEXT NOT NULL CHECK (origin IN ('Aliyun_KMS', 'EXTERNAL')),
  protection_level     TEXT NOT NULL CHECK (protection_level IN ('SOFTWARE', 'HSM')),
  -- SET NULL only ever applies to tombstones: the CHECK below makes deleting a store that still
  -- has live keys fail, while a store whose keys are all tombstoned can go.
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
  CHECK (key_store_id IS NOT NULL OR deleted_at IS NOT NULL),
  -- The primary version must be a version of this very key. Deferred so a key and its first
  -- version can be inserted in either order inside one transaction.
  FOREIGN KEY (id, primary_version_id) REFERENCES key_versions(key_id, id) DEFERRABLE INITIALLY DEFERRED
);
-- description rides along so the Text filter scans this index instead of the much wider table
-- rows (halves a Text search over 100k keys).
CREATE INDEX keys_created    ON keys(deleted_at, created_at, id, description);
CREATE INDEX keys_state      ON keys(key_state, deleted_at, created_at, id);
CREATE INDEX keys_spec       ON keys(key_spec, deleted_at, created_at, id);
CREATE INDEX keys_usage      ON keys(key_usage, deleted_at, created_at, id);
CREATE INDEX keys_protection ON keys(protection_level, deleted_at, created_at, id);
CREATE INDEX keys_origin     ON keys(origin, deleted_at, created_at, id);
CREATE INDEX keys_store      ON keys(key_store_id, deleted_at, created_at, id);
-- Live keys are counted as all rows (a b-tree count, no scan) minus tombstones.
CREATE INDEX keys_tombstones ON keys(deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE key_versions (
  id         TEXT PRIMARY KEY,
  key_id     TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
  object_id  TEXT NOT NULL UNIQUE
             CHECK (length(object_id) BETWEEN 2 AND 256 AND length(object_id) % 2 = 0 AND object_id NOT GLOB '*[^0-9a-f]*'),
  created_at TEXT NOT NULL,
  UNIQUE (key_id, id)
);
CREATE INDEX key_versions_key ON key_versions(key_id, created_at);

CREATE TABLE aliases (
  alias_name TEXT PRIMARY KEY,
  key_id     TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX aliases_key ON aliases(key_id, alias_name);

CREATE TABLE tags (
  key_id    TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
  tag_key   TEXT NOT NULL,
  tag_value TEXT NOT NULL,
  PRIMARY KEY (key_id, tag_key)
) WITHOUT ROWID;

-- sequence is assigned by the app (last + 1) because it is part of the hashed record.
-- event_id (a random UUID) has no UNIQUE index: on a log of millions of usage records, an index
-- of random keys costs a cache miss per insert, and nothing looks records up by it.
CREATE TABLE audit_events (
  sequence      INTEGER PRIMARY KEY CHECK (sequence >= 1),
  event_id      TEXT NOT NULL,
  time          TEXT NOT NULL,
  operation     TEXT NOT NULL,
  actor         TEXT NOT NULL,
  transport     TEXT NOT NULL,
  resource_id   TEXT NOT NULL,
  outcome       TEXT NOT NULL CHECK (outcome IN ('SUCCESS', 'FAILURE')),
  error_code    TEXT,
  request_id    TEXT NOT NULL,
  details_json  TEXT NOT NULL,
  previous_hash TEXT NOT NULL,
  hash          TEXT NOT NULL
);
-- Single-column indexes suffice for "filter, newest first": each entry ends with the rowid (= sequence).
CREATE INDEX audit_events_operation ON audit_events(operation);
CREATE INDEX audit_events_resource  ON audit_events(resource_id);
CREATE INDEX audit_events_actor     ON audit_events(actor);
CREATE INDEX audit_events_outcome   ON audit_events(outcome);

-- Guards against the app itself rewriting history; someone editing the file can drop these,
-- which is what the hash chain is for.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

-- Last sequence and hash, updated with every append: the chain alone cannot reveal that its newest
-- records were cut off, a mismatch with this row can.
CREATE TABLE audit_head (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  sequence INTEGER NOT NULL,
  hash     TEXT NOT NULL
);
`;

export const migration001Initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(SQL);
  },
};
