import type { Database } from 'better-sqlite3';

/** Below this many keys any plan is fast; SQLite's built-in guesses are good enough. */
const MIN_ROWS = 1000;

/**
 * Keeps the planner statistics of `keys` in step with its size, with a full `ANALYZE keys`.
 *
 * Why not `PRAGMA optimize`: it analyzes with a sampling limit, and sampling the first entries of
 * an index on a low-cardinality column (key_state has four values) sees one value only and
 * estimates dozens of distinct ones. With that, a two-state filter was sorted in a temp b-tree
 * (18 ms at 100k keys) instead of read newest-first off keys_created (0.3 ms). A full analysis of
 * 100k keys takes ~0.2 s, and it only reruns when the table doubled or halved since the last one.
 *
 * Returns whether it analyzed.
 */
export function refreshKeyStatistics(db: Database): boolean {
  const rows = db.prepare<[], { count: number }>('SELECT count(*) AS count FROM keys').get()?.count ?? 0;
  const analyzed = analyzedRows(db);
  const stale = analyzed === null ? rows >= MIN_ROWS : rows >= analyzed * 2 || rows * 2 < analyzed;
  if (!stale) return false;
  db.exec('ANALYZE keys');
  return true;
}

/** Row count of `keys` at its last ANALYZE, or null if it was never analyzed. */
function analyzedRows(db: Database): number | null {
  const hasStats = db.prepare<[], { found: number }>("SELECT 1 AS found FROM sqlite_schema WHERE name = 'sqlite_stat1'").get();
  if (!hasStats) return null;
  const stat = db.prepare<[], { stat: string }>("SELECT stat FROM sqlite_stat1 WHERE tbl = 'keys' AND idx = 'sqlite_autoindex_keys_1'").get();
  if (!stat) return null;
  const rows = Number.parseInt(stat.stat, 10);
  return Number.isFinite(rows) ? rows : null;
}
