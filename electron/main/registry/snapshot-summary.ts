import Database from 'better-sqlite3';
import type { AuditHead } from './audit/verify';
import type { RegistryCounts } from './repositories/backups';
import { createBackupsRepository } from './repositories/backups';

export interface SnapshotSummary {
  schemaVersion: number;
  counts: RegistryCounts;
  keyStoreIds: string[];
  auditHead: AuditHead;
}

/** What a registry snapshot file holds, read without migrating or changing it. */
export function readSnapshotSummary(file: string, nativeBinding?: string): SnapshotSummary {
  const db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    const schemaVersion = (db.prepare('SELECT coalesce(max(version), 0) AS version FROM schema_migrations').get() as { version: number }).version;
    const head = db.prepare('SELECT sequence, hash FROM audit_head WHERE id = 1').get() as AuditHead | undefined;
    const keyStoreIds = (db.prepare('SELECT id FROM key_stores ORDER BY id').all() as { id: string }[]).map(({ id }) => id);
    return { schemaVersion, counts: createBackupsRepository(db).counts(), keyStoreIds, auditHead: head ?? { sequence: 0, hash: '' } };
  } finally {
    db.close();
  }
}
