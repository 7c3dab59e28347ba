import type { Database } from 'better-sqlite3';

/**
 * One schema step. A released migration is never edited: a database that already ran it would not
 * run it again, so any change must be a new, higher-numbered migration. That is also why
 * migrations spell out their SQL (enum lists included) instead of importing constants that may
 * change later.
 */
export interface Migration {
  version: number;
  name: string;
  /** Runs inside the transaction that also records the version. */
  up(db: Database): void;
}
