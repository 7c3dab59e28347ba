/**
 * The audit export's line format and its chain check. A line is one record as ListAuditEvents
 * shows it, keys in the contract's order; its Hash is recomputed with the registry's own
 * auditRecordHash, after mapping the event back to the stored form it hashes (ErrorCode '' is
 * null, Details is hashed as its canonical JSON).
 */
import { auditEventSchema, type AuditEvent } from '../../../../shared/contract';
import { auditRecordHash, canonicalJson, type AuditRow } from '../../registry';

/** Keys of a line, in order: the contract's AuditEvent fields. */
const EVENT_KEYS = Object.keys(auditEventSchema.shape) as (keyof AuditEvent)[];

export function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    Sequence: row.sequence,
    EventId: row.eventId,
    Time: row.time,
    Operation: row.operation,
    Actor: row.actor,
    Transport: row.transport,
    ResourceId: row.resourceId,
    Outcome: row.outcome,
    ErrorCode: row.errorCode ?? '',
    RequestId: row.requestId,
    Details: row.details,
    PreviousHash: row.previousHash,
    Hash: row.hash,
  };
}

/** One line of the export, '\n' included. */
export function exportLine(event: AuditEvent): string {
  return `${JSON.stringify(Object.fromEntries(EVENT_KEYS.map((key) => [key, event[key]])))}\n`;
}

export interface ExportChainCheck {
  valid: boolean;
  recordCount: number;
  firstBrokenSequence: number | null;
  reason: string | null;
}

type ParsedLine = { ok: true; event: AuditEvent } | { ok: false; why: string };

function parseLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, why: 'it is not JSON' };
  }
  const parsed = auditEventSchema.safeParse(value);
  if (!parsed.success) return { ok: false, why: 'it is not an audit record' };
  // Extra keys would be dropped by the schema and so escape the hash: a line holds exactly the record.
  const keys = Object.keys(value as object);
  if (keys.length !== EVENT_KEYS.length || keys.some((key, index) => key !== EVENT_KEYS[index])) {
    return { ok: false, why: 'its fields are not exactly the record fields in order' };
  }
  if (!Number.isSafeInteger(parsed.data.Sequence) || parsed.data.Sequence < 1) return { ok: false, why: 'its Sequence is not a positive integer' };
  return { ok: true, event: parsed.data };
}

/** What auditRecordHash covers, read back from an exported event. */
function recomputedHash(event: AuditEvent): string {
  return auditRecordHash(event.PreviousHash, {
    sequence: event.Sequence,
    eventId: event.EventId,
    time: event.Time,
    operation: event.Operation,
    actor: event.Actor,
    transport: event.Transport,
    resourceId: event.ResourceId,
    outcome: event.Outcome,
    errorCode: event.ErrorCode === '' ? null : event.ErrorCode,
    requestId: event.RequestId,
    detailsJson: canonicalJson(event.Details),
  });
}

/**
 * Walks the lines in order: each must parse, be the next sequence, link to the Hash of the line
 * before and hash to its own Hash. The first line's PreviousHash names a record outside the export,
 * so it is taken as given (its own Hash still covers it).
 */
export function checkExportChain(exported: string): ExportChainCheck {
  const lines = exported.split('\n');
  const complete = lines.pop() === '';
  const recordCount = lines.length;
  let previous: AuditEvent | null = null;
  const broken = (sequence: number | null, reason: string): ExportChainCheck => ({ valid: false, recordCount, firstBrokenSequence: sequence, reason });

  for (const [index, line] of lines.entries()) {
    const expected = previous ? previous.Sequence + 1 : null;
    const parsed = parseLine(line);
    if (!parsed.ok) return broken(expected, `line ${index + 1} is malformed: ${parsed.why}`);
    const event = parsed.event;
    if (expected !== null && event.Sequence !== expected) {
      return broken(expected, `line ${index + 1} holds record ${event.Sequence} where record ${expected} belongs (a record was removed, moved or added)`);
    }
    if (previous && event.PreviousHash !== previous.Hash) {
      return broken(event.Sequence, `record ${event.Sequence} does not link to the hash of record ${previous.Sequence}`);
    }
    if (recomputedHash(event) !== event.Hash) {
      return broken(event.Sequence, `record ${event.Sequence} was altered: its hash does not match its content`);
    }
    previous = event;
  }
  if (!complete) return broken(previous ? previous.Sequence + 1 : null, 'the export does not end with a newline: its last line is cut or was added');
  if (recordCount === 0) return broken(null, 'the export holds no record');
  return { valid: true, recordCount, firstBrokenSequence: null, reason: null };
}
