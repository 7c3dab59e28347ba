import { hash as digest, randomUUID } from 'node:crypto';
import { canonicalJson } from '../canonical-json';
import { assertNoSecrets } from './secret-guard';

export type AuditOutcome = 'SUCCESS' | 'FAILURE';
/** Flat, like the contract's AuditEvent.Details. */
export type AuditDetails = Record<string, string | number | boolean>;

/** What callers hand to `append`; eventId and time default to a fresh UUID and now. */
export interface AuditEventInput {
  eventId?: string;
  time?: string;
  operation: string;
  actor: string;
  /** Which surface the request came in on, e.g. ipc, browser, cli, internal. */
  transport: string;
  /** Key id, key store id, cluster id... or '' when the operation has none. */
  resourceId: string;
  outcome: AuditOutcome;
  errorCode?: string | null;
  requestId: string;
  details?: AuditDetails;
}

/** An audit record as stored and hashed. `detailsJson` is the canonical JSON of the details, exactly as hashed. */
export interface AuditRecord {
  sequence: number;
  eventId: string;
  time: string;
  operation: string;
  actor: string;
  transport: string;
  resourceId: string;
  outcome: AuditOutcome;
  errorCode: string | null;
  requestId: string;
  detailsJson: string;
  previousHash: string;
  hash: string;
}

/** An audit record as read back: the stored record plus its details, parsed. */
export interface AuditRow extends AuditRecord {
  details: AuditDetails;
}

/** A record ready to be chained: everything but its place in the chain. */
export type PendingAuditRecord = Omit<AuditRecord, 'sequence' | 'previousHash' | 'hash'>;

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Validates and completes an event before any database work: the secret guard runs here, and
 * buffered usage records get the time of the operation rather than the time of the batch.
 */
export function toPendingRecord(event: AuditEventInput): PendingAuditRecord {
  assertNoSecrets(event.details ?? {});
  return {
    eventId: event.eventId ?? randomUUID(),
    time: event.time ?? new Date().toISOString(),
    operation: wellFormed(event.operation),
    actor: wellFormed(event.actor),
    transport: wellFormed(event.transport),
    resourceId: wellFormed(event.resourceId),
    outcome: event.outcome,
    errorCode: event.errorCode ?? null,
    requestId: wellFormed(event.requestId),
    detailsJson: canonicalJson(event.details ?? {}),
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A caller-supplied identifier (a KeyId of a refused request) may hold a lone UTF-16 surrogate.
 * SQLite stores UTF-8, which turns it into U+FFFD, so the record read back would no longer match
 * its hash and the chain would look tampered with. Hash what will be stored.
 */
function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * `sha256(previousHash + "\n" + canonicalJson(fields))` in lowercase hex, where fields are exactly
 * sequence, eventId, time, operation, actor, transport, resourceId, outcome, errorCode (null when
 * absent), requestId and detailsJson (the stored string). This is the published recipe an exported
 * log is checked against: change it only together with a migration that re-anchors the chain.
 *
 * The JSON is written out here in sorted key order rather than through canonicalJson: the result
 * is the same text (a unit test holds them equal) at a fraction of the cost, which matters on the
 * usage path where every crypto operation gets a record. Fields are named one by one, so extra
 * properties on the argument can never slip into the hash.
 */
export function auditRecordHash(previousHash: string, record: PendingAuditRecord & { sequence: number }): string {
  if (!Number.isSafeInteger(record.sequence)) throw new TypeError('audit field sequence must be an integer');
  const json =
    `{"actor":${JSON.stringify(record.actor)},"detailsJson":${JSON.stringify(record.detailsJson)}` +
    `,"errorCode":${JSON.stringify(record.errorCode)},"eventId":${JSON.stringify(record.eventId)}` +
    `,"operation":${JSON.stringify(record.operation)},"outcome":${JSON.stringify(record.outcome)}` +
    `,"requestId":${JSON.stringify(record.requestId)},"resourceId":${JSON.stringify(record.resourceId)}` +
    `,"sequence":${record.sequence},"time":${JSON.stringify(record.time)},"transport":${JSON.stringify(record.transport)}}`;
  return digest('sha256', `${previousHash}\n${json}`, 'hex');
}

/** Places a pending record after `previous` (null for the first record) in the chain. */
export function chainRecord(pending: PendingAuditRecord, previous: { sequence: number; hash: string } | null): AuditRecord {
  const sequence = (previous?.sequence ?? 0) + 1;
  const previousHash = previous?.hash ?? GENESIS_HASH;
  // Field by field rather than a spread: one object shape, and several times faster on the usage path.
  const record: AuditRecord = {
    sequence,
    eventId: pending.eventId,
    time: pending.time,
    operation: pending.operation,
    actor: pending.actor,
    transport: pending.transport,
    resourceId: pending.resourceId,
    outcome: pending.outcome,
    errorCode: pending.errorCode,
    requestId: pending.requestId,
    detailsJson: pending.detailsJson,
    previousHash,
    hash: '',
  };
  record.hash = auditRecordHash(previousHash, record);
  return record;
}

/**
 * Adds the parsed details to a stored record. A record edited outside the app may hold anything
 * in details_json; reading it must still work (verify() is what reports the edit), so values
 * that are not flat JSON come back as text instead of throwing.
 */
export function withDetails(record: AuditRecord): AuditRow {
  return { ...record, details: parseDetails(record.detailsJson) };
}

function parseDetails(detailsJson: string): AuditDetails {
  let parsed: unknown;
  try {
    parsed = JSON.parse(detailsJson);
  } catch {
    return { UnparsableDetails: String(detailsJson) };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { UnparsableDetails: String(detailsJson) };
  const details: AuditDetails = {};
  for (const [key, value] of Object.entries(parsed)) {
    details[key] = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value);
  }
  return details;
}
