import type { Migration } from './types';

/*
 * Backups made from this registry and restores into it. A CREATED row is written after the
 * snapshot (so a backup never lists itself); a restore writes the backup's CREATED row into the
 * restored registry too, next to its RESTORED row. restore_checks lists the key stores whose
 * material has not been round-tripped since the restore.
 */
const SQL = `
CREATE TABLE backups (
  backup_id        TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('CREATED', 'RESTORED')),
  created_at       TEXT NOT NULL,
  recorded_at      TEXT NOT NULL,
  description      TEXT NOT NULL,
  includes_default INTEGER NOT NULL CHECK (includes_default IN (0, 1)),
  size_bytes       INTEGER NOT NULL CHECK (size_bytes >= 0),
  manifest         TEXT NOT NULL,
  PRIMARY KEY (backup_id, kind)
);
CREATE INDEX backups_by_time ON backups (kind, recorded_at);
CREATE TABLE restore_checks (
  key_store_id TEXT PRIMARY KEY REFERENCES key_stores(id) ON DELETE CASCADE
);
`;

export const migration009Backups: Migration = {
  version: 9,
  name: 'backups',
  up(db) {
    db.exec(SQL);
  },
};
