/**
 * What "nothing changed" means for the reliability suites: every registry table except the audit
 * log (which records the refused calls, by design) read row by row, and every file of the SoftHSM2
 * token directory (one file per object plus the token file) by content hash, except the audit
 * anchor: it follows the audit log into the token by design (services/audit/audit-anchor.ts).
 *
 * SoftHSM2's file store (2.6): each file starts with an 8-byte generation counter that every
 * object creation or removal on the token bumps in token.object and in `generation`; after it
 * come the attributes in ascending type order, each as type, kind and value (8-byte big-endian
 * numbers), so CKA_CLASS (type 0) comes first and its value is readable even for a private
 * object. The anchor is the token's only data object (CKO_DATA = 0): its files are skipped, the
 * counters are left out, and every other byte is compared.
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
const GENERATION_BYTES = 8;
const CKA_CLASS = 0n;
const CKO_DATA = 0n;

function isDataObjectFile(file: string, content: Buffer): boolean {
  if (!file.endsWith('.object') || path.basename(file) === 'token.object' || content.length < GENERATION_BYTES + 24) return false;
  return content.readBigUInt64BE(GENERATION_BYTES) === CKA_CLASS && content.readBigUInt64BE(GENERATION_BYTES + 16) === CKO_DATA;
}

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
    if (file.endsWith('.lock') || path.basename(file) === 'generation') continue;
    const content = readFileSync(file);
    if (isDataObjectFile(file, content)) continue;
    const compared = path.basename(file) === 'token.object' ? content.subarray(GENERATION_BYTES) : content;
    tokenFiles[path.relative(tokenDir, file)] = createHash('sha256').update(compared).digest('hex').slice(0, 16);
  }
  return { tables, tokenFiles };
}
