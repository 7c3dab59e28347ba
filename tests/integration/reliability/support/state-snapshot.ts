/**
 * What "nothing changed" means for the reliability suites: every registry table except the audit
 * log (which records the refused calls, by design) read row by row, and every file of the SoftHSM2
 * token directory (one file per object plus the token file) by content hash.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export interface StateSnapshot {
  tables: Record<string, string>;
  tokenFiles: Record<string, string>;
}

const VOLATILE_TABLES = new Set(['audit_events', 'audit_head', 'sqlite_stat1', 'sqlite_stat4', 'sqlite_sequence']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

export function snapshotState(dataDir: string): StateSnapshot {
  const db = new Database(path.join(dataDir, 'registry.sqlite'), { readonly: true, fileMustExist: true });
  const tables: Record<string, string> = {};
  try {
    const names = db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all();
    for (const { name } of names) {
      if (VOLATILE_TABLES.has(name) || name.startsWith('sqlite_')) continue;
      // Some tables are WITHOUT ROWID: order the rows here, not in SQL.
      const rows = (db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).raw().all() as unknown[]).map((row) => JSON.stringify(row)).sort();
      tables[name] = createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16) + `:${rows.length}`;
    }
  } finally {
    db.close();
  }
  const tokenDir = path.join(dataDir, 'softhsm', 'tokens');
  const tokenFiles: Record<string, string> = {};
  for (const file of filesUnder(tokenDir)) {
    if (file.endsWith('.lock')) continue;
    tokenFiles[path.relative(tokenDir, file)] = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
  }
  return { tables, tokenFiles };
}
