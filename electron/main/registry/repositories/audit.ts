import type { Database } from 'better-sqlite3';
import type { z } from 'zod';
import type { auditFilterSchema } from '../../../../shared/contract';
import {
  type AuditEventInput,
  type AuditRecord,
  type AuditRow,
  type PendingAuditRecord,
  chainRecord,
  toPendingRecord,
  withDetails,
} from '../audit/record';
import { type CheckpointCheck, checkCheckpoint } from '../audit/checkpoints';
import { type AuditHead, type AuditVerification, verifyAuditChain } from '../audit/verify';
import { type Page, type PageRequest, StatementCache, inList, limitOffset } from '../sql';

/** The contract's ListAuditEvents filter names: Operation, ResourceId, Outcome, Actor. */
export type AuditListFilterKey = z.infer<typeof auditFilterSchema>['Key'];

export interface AuditListFilter {
  key: AuditListFilterKey;
  /** Alternatives: an event matches the filter when it matches any of them. */
  values: readonly string[];
}

export interface AuditListQuery extends PageRequest {
  filters?: readonly AuditListFilter[];
  /** Records at or after this time (inclusive). */
  from?: Date;
  /** Records before this time (exclusive). */
  to?: Date;
}

/** The chain check plus, from the same snapshot, the last sequence and each checkpoint's verdict. */
export interface CheckedAuditLog extends AuditVerification {
  lastSequence: number;
  checkpoints: CheckpointCheck[];
}

export interface AuditRepository {
  /**
   * Chains and writes one record inside the caller's transaction (or its own when there is none),
   * so a state change and its record commit or roll back together. Throws AuditSecretError.
   */
  append(event: AuditEventInput): AuditRow;
  /** Several records in one transaction. */
  appendMany(events: readonly AuditEventInput[]): AuditRow[];
  /**
   * The buffered usage writer's group commit: records already through `toPendingRecord` (checked
   * when queued), chained and written in one transaction; returns how many were written.
   */
  appendPending(records: readonly PendingAuditRecord[]): number;

  get(sequence: number): AuditRow | null;
  /** The newest record, or null for an empty log. */
  last(): AuditRow | null;
  /** Ascending from `fromSequence`, for exports that stream the whole log in chunks. */
  listRange(fromSequence: number, limit: number): AuditRow[];
  /** The same records as stored and hashed, details left unparsed: for walking the chain. */
  listRecords(fromSequence: number, limit: number): AuditRecord[];
  /** Newest first, with the total match count. */
  list(query: AuditListQuery): Page<AuditRow>;
  /** Walks the chain; also compares each checkpoint (kept outside this file) with the record it names. */
  verify(checkpoints?: readonly AuditHead[]): CheckedAuditLog;
  /**
   * Calls `listener` after every append (synchronously; inside the caller's transaction, if any,
   * so the listener must only schedule work that reads the log later). Returns the unsubscribe.
   */
  onAppend(listener: () => void): () => void;
}

const COLUMNS = `sequence, event_id AS eventId, time, operation, actor, transport, resource_id AS resourceId, outcome,
  error_code AS errorCode, request_id AS requestId, details_json AS detailsJson, previous_hash AS previousHash, hash`;

const COLUMN_BY_FILTER: Record<AuditListFilterKey, string> = {
  Operation: 'operation',
  ResourceId: 'resource_id',
  Outcome: 'outcome',
  Actor: 'actor',
};

export function createAuditRepository(db: Database): AuditRepository {
  const cache = new StatementCache(db, 64);
  const insert = db.prepare<[AuditRecord]>(
    `INSERT INTO audit_events (sequence, event_id, time, operation, actor, transport, resource_id, outcome,
       error_code, request_id, details_json, previous_hash, hash)
     VALUES (@sequence, @eventId, @time, @operation, @actor, @transport, @resourceId, @outcome,
       @errorCode, @requestId, @detailsJson, @previousHash, @hash)`,
  );
  const setHead = db.prepare<[number, string]>(
    `INSERT INTO audit_head (id, sequence, hash) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash`,
  );
  const lastLink = db.prepare<[], AuditHead>('SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1');
  const head = db.prepare<[], AuditHead>('SELECT sequence, hash FROM audit_head WHERE id = 1');
  const get = db.prepare<[number], AuditRecord>(`SELECT ${COLUMNS} FROM audit_events WHERE sequence = ?`);
  const last = db.prepare<[], AuditRecord>(`SELECT ${COLUMNS} FROM audit_events ORDER BY sequence DESC LIMIT 1`);
  const range = db.prepare<[number, number], AuditRecord>(
    `SELECT ${COLUMNS} FROM audit_events WHERE sequence >= ? ORDER BY sequence LIMIT ?`,
  );
  const all = db.prepare<[], AuditRecord>(`SELECT ${COLUMNS} FROM audit_events ORDER BY sequence`);

  // The last hash is read under the same write lock as the insert: two writers can never both
  // chain onto the same predecessor. Nested in a caller's transaction this becomes a savepoint.
  const appendPending = db.transaction((records: readonly PendingAuditRecord[]): AuditRecord[] => {
    let previous = lastLink.get() ?? null;
    const written = records.map((pending) => {
      const record = chainRecord(pending, previous);
      insert.run(record);
      previous = record;
      return record;
    });
    if (previous) setHead.run(previous.sequence, previous.hash);
    return written;
  });

  const readPage = db.transaction((query: AuditListQuery): Page<AuditRow> => {
    const [limit, offset] = limitOffset(query);
    const filters = query.filters ?? [];
    const clauses: string[] = [];
    const params: string[] = [];
    for (const { key, values } of filters) {
      const column = COLUMN_BY_FILTER[key];
      if (column === undefined) throw new RangeError(`unknown audit filter ${String(key)}`);
      clauses.push(inList(column, values.length));
      params.push(...values);
    }
    // Stored times are toISOString() text (record.ts), so the bounds in that same form compare as times.
    if (query.from) {
      clauses.push('time >= ?');
      params.push(query.from.toISOString());
    }
    if (query.to) {
      clauses.push('time < ?');
      params.push(query.to.toISOString());
    }
    const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
    // Unfiltered, the count is the last sequence: records are numbered 1..n without gaps (gaps are
    // what verify() reports), and counting millions of usage records for every page would be slow.
    const countSql = clauses.length > 0 ? `SELECT count(*) AS count FROM audit_events ${where}` : 'SELECT coalesce(max(sequence), 0) AS count FROM audit_events';
    const totalCount = cache.get<string[], { count: number }>(countSql).get(...params)?.count ?? 0;
    const rows =
      totalCount === 0
        ? []
        : cache
            .get<(string | number)[], AuditRecord>(`SELECT ${COLUMNS} FROM audit_events ${where} ORDER BY sequence DESC LIMIT ? OFFSET ?`)
            .all(...params, limit, offset)
            .map(withDetails);
    return { rows, totalCount };
  });

  const hashAt = db.prepare<[number], { hash: string }>('SELECT hash FROM audit_events WHERE sequence = ?');
  const lastSequence = db.prepare<[], { sequence: number }>('SELECT coalesce(max(sequence), 0) AS sequence FROM audit_events');

  // One snapshot for the walk, the head and the checkpoints, so a concurrent append cannot look like tampering.
  const verify = db.transaction((checkpoints: readonly AuditHead[]): CheckedAuditLog => {
    const last = lastSequence.get()?.sequence ?? 0;
    return {
      ...verifyAuditChain(all.iterate(), head.get() ?? null),
      lastSequence: last,
      checkpoints: checkpoints.map((checkpoint) => checkCheckpoint(checkpoint, hashAt.get(checkpoint.sequence)?.hash ?? null, last)),
    };
  });

  const appendListeners = new Set<() => void>();
  function appended<T>(written: T): T {
    for (const listener of appendListeners) listener();
    return written;
  }

  return {
    append: (event) => {
      const [record] = appendPending.immediate([toPendingRecord(event)]);
      if (!record) throw new Error('audit append wrote no record');
      return appended(withDetails(record));
    },
    appendMany: (events) => (events.length === 0 ? [] : appended(appendPending.immediate(events.map(toPendingRecord)).map(withDetails))),
    appendPending: (records) => (records.length === 0 ? 0 : appended(appendPending.immediate(records).length)),
    get: (sequence) => nullable(get.get(sequence)),
    last: () => nullable(last.get()),
    listRange: (fromSequence, limit) => range.all(fromSequence, limit).map(withDetails),
    listRecords: (fromSequence, limit) => range.all(fromSequence, limit),
    list: (query) => readPage.deferred(query),
    verify: (checkpoints = []) => verify.deferred(checkpoints),
    onAppend: (listener) => {
      appendListeners.add(listener);
      return () => appendListeners.delete(listener);
    },
  };
}

function nullable(record: AuditRecord | undefined): AuditRow | null {
  return record ? withDetails(record) : null;
}
