import type { Database } from 'better-sqlite3';

export type BackupKind = 'CREATED' | 'RESTORED';

export interface BackupRow {
  backupId: string;
  kind: BackupKind;
  /** When the backup was made. */
  createdAt: string;
  /** When this row was written: the backup's time for CREATED, the restore's for RESTORED. */
  recordedAt: string;
  description: string;
  includesDefault: boolean;
  sizeBytes: number;
  /** The manifest as JSON (no secret: it is readable without the password). */
  manifest: string;
}

/** What a snapshot holds, for its manifest. */
export interface RegistryCounts {
  keyStores: number;
  keys: number;
  keyVersions: number;
  aliases: number;
  secrets: number;
  secretVersions: number;
  clusters: number;
  modules: number;
  accessPoints: number;
  clientKeys: number;
}

export interface BackupsRepository {
  insert(row: BackupRow): void;
  /** The newest row of a kind, or null. */
  latest(kind: BackupKind): BackupRow | null;
  counts(): RegistryCounts;
  uncheckedKeyStores(): string[];
  markUnchecked(keyStoreIds: readonly string[]): void;
  markChecked(keyStoreId: string): void;
}

const COLUMNS = `backup_id AS backupId, kind, created_at AS createdAt, recorded_at AS recordedAt, description,
  includes_default AS includesDefault, size_bytes AS sizeBytes, manifest`;

export function createBackupsRepository(db: Database): BackupsRepository {
  const insert = db.prepare<[string, BackupKind, string, string, string, number, number, string]>(
    `INSERT INTO backups (backup_id, kind, created_at, recorded_at, description, includes_default, size_bytes, manifest)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (backup_id, kind) DO NOTHING`,
  );
  const latest = db.prepare<[BackupKind], Omit<BackupRow, 'includesDefault'> & { includesDefault: number }>(
    `SELECT ${COLUMNS} FROM backups WHERE kind = ? ORDER BY recorded_at DESC, rowid DESC LIMIT 1`,
  );
  const counts = db.prepare<[], RegistryCounts>(
    `SELECT (SELECT count(*) FROM key_stores) AS keyStores, (SELECT count(*) FROM keys) AS keys,
       (SELECT count(*) FROM key_versions) AS keyVersions, (SELECT count(*) FROM aliases) AS aliases,
       (SELECT count(*) FROM secrets) AS secrets, (SELECT count(*) FROM secret_versions) AS secretVersions,
       (SELECT count(*) FROM clusters) AS clusters, (SELECT count(*) FROM modules) AS modules,
       (SELECT count(*) FROM access_points) AS accessPoints, (SELECT count(*) FROM client_keys) AS clientKeys`,
  );
  const unchecked = db.prepare<[], { id: string }>('SELECT key_store_id AS id FROM restore_checks ORDER BY key_store_id');
  const markUnchecked = db.prepare<[string]>('INSERT OR IGNORE INTO restore_checks (key_store_id) VALUES (?)');
  const markChecked = db.prepare<[string]>('DELETE FROM restore_checks WHERE key_store_id = ?');

  return {
    insert: (row) => {
      insert.run(row.backupId, row.kind, row.createdAt, row.recordedAt, row.description, row.includesDefault ? 1 : 0, row.sizeBytes, row.manifest);
    },
    latest: (kind) => {
      const row = latest.get(kind);
      return row ? { ...row, includesDefault: row.includesDefault === 1 } : null;
    },
    counts: () => counts.get() ?? { keyStores: 0, keys: 0, keyVersions: 0, aliases: 0, secrets: 0, secretVersions: 0, clusters: 0, modules: 0, accessPoints: 0, clientKeys: 0 },
    uncheckedKeyStores: () => unchecked.all().map(({ id }) => id),
    markUnchecked: (ids) => {
      for (const id of ids) markUnchecked.run(id);
    },
    markChecked: (id) => {
      markChecked.run(id);
    },
  };
}
