import type { Database } from 'better-sqlite3';
import { SchemaTooNewError } from './errors';
import type { Migration } from './migrations/types';

const CREATE_VERSIONS_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

function currentVersion(db: Database): number {
  const row = db.prepare<[], { version: number | null }>('SELECT max(version) AS version FROM schema_migrations').get();
  return row?.version ?? 0;
}

/** The recorded version, read without writing anything (a fresh file has no schema_migrations table yet). */
function recordedVersion(db: Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'").get();
  return table ? currentVersion(db) : 0;
}

/**
 * Brings the schema up to the newest known migration; returns the resulting version.
 *
 * Each migration runs in its own IMMEDIATE transaction together with its schema_migrations row, so
 * a crash leaves the database at a well-defined version, and a second process opening the same
 * file at the same moment waits for the write lock and then sees the step already applied.
 */
export function migrate(db: Database, migrations: readonly Migration[], now: () => string): number {
  assertOrdered(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  // A downgrade is refused before the first write: the newer release must find its file as it left it.
  const found = recordedVersion(db);
  if (found > latest) throw new SchemaTooNewError(found, latest);
  db.exec(CREATE_VERSIONS_TABLE);

  const pending = migrations.filter((migration) => migration.version > found);
  if (pending.length === 0) return found;

  const record = db.prepare<[number, string, string]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) === 1;
  // SQLite's table-rebuild recipe needs foreign keys off (the pragma is a no-op inside a
  // transaction); integrity is instead checked before each migration commits.
  db.pragma('foreign_keys = OFF');
  try {
    for (const migration of pending) {
      db.transaction(() => {
        // Re-read under the write lock: another process may have migrated since the check above.
        const version = currentVersion(db);
        if (version > latest) throw new SchemaTooNewError(version, latest);
        if (migration.version <= version) return;
        migration.up(db);
        assertForeignKeysHold(db, migration);
        record.run(migration.version, migration.name, now());
      }).immediate();
    }
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
  return currentVersion(db);
}

function assertForeignKeysHold(db: Database, migration: Migration): void {
  const violations = db.pragma('foreign_key_check') as unknown[];
  if (violations.length > 0) {
    throw new Error(`migration ${migration.version} (${migration.name}) leaves ${violations.length} foreign key violations`);
  }
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration list must be numbered 1..n without gaps (found ${migration.version} at position ${index + 1})`);
    }
  });
}
