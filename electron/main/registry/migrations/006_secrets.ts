import type { Migration } from './types';

/*
 * Secrets Manager. Metadata (names, versions, stages, tags) is not secret; a value is stored only
 * sealed: `sealed_value` is IV (12) || AES-256-GCM ciphertext || tag (16) under a data key of its
 * own, and `wrapped_key` is that data key sealed inside the HSM under the secret's CMK (a Keyward
 * ciphertext blob naming the CMK and its version). Neither opens without the HSM.
 * - A destroyed secret's rows are deleted (versions, stages and tags cascade), so its name is free.
 * - `sequence` orders a secret's versions (creation times may tie within a millisecond): pruning of
 *   versions without a stage keeps the highest ones.
 * - secret_version_stages has one row per stage, so a stage sits on exactly one version; the
 *   composite foreign key keeps it on a version of the same secret.
 * - planned_delete_time is set exactly while the secret is PendingDeletion.
 */
const SQL = `
CREATE TABLE secrets (
  id                  TEXT PRIMARY KEY,
  name                TEXT NOT NULL UNIQUE,
  description         TEXT NOT NULL DEFAULT '',
  encryption_key_id   TEXT NOT NULL REFERENCES keys(id),
  secret_state        TEXT NOT NULL CHECK (secret_state IN ('Enabled', 'PendingDeletion')),
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  planned_delete_time TEXT,
  CHECK ((secret_state = 'PendingDeletion') = (planned_delete_time IS NOT NULL))
);
CREATE INDEX secrets_created ON secrets(created_at, id);
CREATE INDEX secrets_key ON secrets(encryption_key_id);
CREATE INDEX secrets_deletion_due ON secrets(planned_delete_time) WHERE planned_delete_time IS NOT NULL;

CREATE TABLE secret_versions (
  secret_id    TEXT NOT NULL REFERENCES secrets(id) ON DELETE CASCADE,
  version_id   TEXT NOT NULL,
  sequence     INTEGER NOT NULL CHECK (sequence >= 1),
  data_type    TEXT NOT NULL CHECK (data_type IN ('text', 'binary')),
  wrapped_key  BLOB NOT NULL,
  sealed_value BLOB NOT NULL CHECK (length(sealed_value) >= 29),
  created_at   TEXT NOT NULL,
  PRIMARY KEY (secret_id, version_id),
  UNIQUE (secret_id, sequence)
);

CREATE TABLE secret_version_stages (
  secret_id  TEXT NOT NULL,
  stage      TEXT NOT NULL,
  version_id TEXT NOT NULL,
  PRIMARY KEY (secret_id, stage),
  FOREIGN KEY (secret_id, version_id) REFERENCES secret_versions(secret_id, version_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX secret_version_stages_version ON secret_version_stages(secret_id, version_id);

CREATE TABLE secret_tags (
  secret_id TEXT NOT NULL REFERENCES secrets(id) ON DELETE CASCADE,
  tag_key   TEXT NOT NULL,
  tag_value TEXT NOT NULL,
  PRIMARY KEY (secret_id, tag_key)
) WITHOUT ROWID;
CREATE INDEX secret_tags_tag ON secret_tags(tag_key, tag_value);
`;

export const migration006Secrets: Migration = {
  version: 6,
  name: 'secrets',
  up(db) {
    db.exec(SQL);
  },
};
