import type { Database, Statement } from 'better-sqlite3';

/**
 * Prepared statements for SQL that is built at run time (filter combinations, update field sets).
 * Preparing costs more than running a simple query, and the number of distinct shapes is small,
 * so each shape is prepared once; the bound keeps a caller that produces endless shapes in check.
 */
export class StatementCache {
  private readonly statements = new Map<string, Statement<unknown[], unknown>>();

  constructor(
    private readonly db: Database,
    private readonly capacity = 256,
  ) {}

  get<Params extends unknown[], Result>(sql: string): Statement<Params, Result> {
    let statement = this.statements.get(sql);
    if (statement) {
      // Re-insert so the Map's order is least recently used first.
      this.statements.delete(sql);
    } else {
      statement = this.db.prepare<unknown[], unknown>(sql);
      if (this.statements.size >= this.capacity) {
        const oldest = this.statements.keys().next();
        if (!oldest.done) this.statements.delete(oldest.value);
      }
    }
    this.statements.set(sql, statement);
    return statement as unknown as Statement<Params, Result>;
  }
}

export interface PageRequest {
  /** 1-based. */
  pageNumber: number;
  pageSize: number;
}

export interface Page<Row> {
  rows: Row[];
  totalCount: number;
}

/** LIMIT and OFFSET for a page; rejects values that would make SQLite read the whole table by accident. */
export function limitOffset({ pageNumber, pageSize }: PageRequest): [limit: number, offset: number] {
  if (!Number.isSafeInteger(pageNumber) || pageNumber < 1) throw new RangeError(`pageNumber must be an integer >= 1, got ${pageNumber}`);
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw new RangeError(`pageSize must be an integer in 1..1000, got ${pageSize}`);
  }
  return [pageSize, (pageNumber - 1) * pageSize];
}

/** `column IN (?, ?, ...)` for a non-empty list; the caller pushes the values as parameters. */
export function inList(column: string, count: number): string {
  if (count < 1) throw new RangeError('an IN filter needs at least one value');
  return `${column} IN (${new Array<string>(count).fill('?').join(', ')})`;
}

/** A LIKE pattern matching `text` anywhere, with LIKE's own wildcards in `text` taken literally (ESCAPE '\\'). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** SQLite stores booleans as 0/1 and better-sqlite3 refuses to bind JS booleans. */
export function toFlag(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}
