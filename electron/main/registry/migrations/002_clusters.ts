import type { Migration } from './types';

/*
 * HSM clusters, their member HSMs and their crypto users.
 * - A member is one token of one registered module; a token belongs to at most one cluster (unique
 *   on module + serial). Before InitializeCluster a member may be known by its slot only (SoftHSM's
 *   spare slot has no stable serial until initialized), hence serial OR slot.
 * - crypto_users records that a user exists and when it was created, never its password: Keyward
 *   keeps no PIN anywhere, the HSMs check them.
 * - owner_certificate_pem is public (the cluster's trust anchor); the owner private key stays in
 *   the first HSM.
 */
const SQL = `
CREATE TABLE clusters (
  id                    TEXT PRIMARY KEY,
  name                  TEXT NOT NULL UNIQUE,
  description           TEXT NOT NULL DEFAULT '',
  state                 TEXT NOT NULL DEFAULT 'UNINITIALIZED'
                        CHECK (state IN ('UNINITIALIZED', 'INITIALIZED', 'ACTIVE', 'DEGRADED')),
  allow_single_hsm      INTEGER NOT NULL DEFAULT 0 CHECK (allow_single_hsm IN (0, 1)),
  owner_certificate_pem TEXT,
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL
);

CREATE TABLE hsms (
  id           TEXT PRIMARY KEY,
  cluster_id   TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
  module_id    TEXT NOT NULL REFERENCES modules(id),
  token_serial TEXT,
  slot_id      INTEGER CHECK (slot_id IS NULL OR slot_id >= 0),
  zone         TEXT NOT NULL,
  label        TEXT NOT NULL,
  state        TEXT NOT NULL DEFAULT 'UNINITIALIZED' CHECK (state IN ('UNINITIALIZED', 'INITIALIZED')),
  position     INTEGER NOT NULL,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  CHECK (token_serial IS NOT NULL OR slot_id IS NOT NULL)
);
CREATE UNIQUE INDEX hsms_token ON hsms(module_id, token_serial) WHERE token_serial IS NOT NULL;
CREATE UNIQUE INDEX hsms_slot ON hsms(module_id, slot_id) WHERE token_serial IS NULL;
CREATE INDEX hsms_cluster ON hsms(cluster_id, position);
CREATE INDEX hsms_module ON hsms(module_id);

CREATE TABLE crypto_users (
  cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
  user_name  TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (cluster_id, user_name)
) WITHOUT ROWID;
`;

export const migration002Clusters: Migration = {
  version: 2,
  name: 'clusters',
  up(db) {
    db.exec(SQL);
  },
};
