import { utcTimestampSchema, type AuditEvent, type AuditFilter, type OperationInput } from '../../../shared/contract';
import { TABLE_PAGE_SIZES } from './table-pagination';
import { pickedAsUtc, utcAsPicked, utcSecondsText } from './utc-picker';

export type { AuditFilter };
export type AuditOutcome = AuditEvent['Outcome'];

export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['SUCCESS', 'FAILURE'];
export const DEFAULT_AUDIT_PAGE_SIZE = 50;
/** The contract's bounds on one filter: at most 10 values of at most 256 characters. */
const MAX_VALUES = 10;
const MAX_VALUE_LENGTH = 256;

/** A stretch of the log in ISO 8601 UTC: `from` inclusive, `to` exclusive, as FromTime/ToTime are read. */
export interface AuditTimeRange {
  from: string;
  to: string;
}

/** What the Audit page filters on: exact values (the service matches whole values); empty fields match all. */
export interface AuditFilters {
  operations: string[];
  actor: string;
  resourceId: string;
  outcomes: AuditOutcome[];
  /** Null: all of the log. */
  time: AuditTimeRange | null;
}

/** A view of the log: its filters and the page shown, all of it kept in the address. */
export interface AuditView {
  filters: AuditFilters;
  page: number;
  pageSize: number;
}

export function emptyAuditFilters(): AuditFilters {
  return { operations: [], actor: '', resourceId: '', outcomes: [], time: null };
}

/** ListAuditEvents `Filters` for the filter bar (empty fields left out). */
export function toAuditListFilters(filters: AuditFilters): AuditFilter[] {
  const result: AuditFilter[] = [];
  if (filters.operations.length) result.push({ Key: 'Operation', Values: [...filters.operations] });
  const actor = filters.actor.trim();
  if (actor) result.push({ Key: 'Actor', Values: [actor] });
  const resourceId = filters.resourceId.trim();
  if (resourceId) result.push({ Key: 'ResourceId', Values: [resourceId] });
  if (filters.outcomes.length) result.push({ Key: 'Outcome', Values: [...filters.outcomes] });
  return result;
}

/** The ListAuditEvents input for the filter bar: its `Filters` and, when a range is chosen, FromTime/ToTime. */
export function toAuditListInput(filters: AuditFilters): Pick<OperationInput<'ListAuditEvents'>, 'Filters' | 'FromTime' | 'ToTime'> {
  const input = { Filters: toAuditListFilters(filters) };
  return filters.time ? { ...input, FromTime: filters.time.from, ToTime: filters.time.to } : input;
}

export function hasAuditFilters(filters: AuditFilters): boolean {
  return toAuditListFilters(filters).length > 0 || filters.time !== null;
}

/** Two instants as a range in whole seconds, or null when the end is not after the start (the service would refuse it). */
function rangeOf(fromMs: number, toMs: number): AuditTimeRange | null {
  const range = { from: utcSecondsText(fromMs), to: utcSecondsText(toMs) };
  return Date.parse(range.to) > Date.parse(range.from) ? range : null;
}

/** The range a date-time range picker holds, read as UTC (see pickedAsUtc); an empty range is no range. */
export function auditRangeFromPicker(value: readonly [number, number] | null): AuditTimeRange | null {
  return value ? rangeOf(pickedAsUtc(value[0]), pickedAsUtc(value[1])) : null;
}

/** What a date-time range picker holds to show the range in UTC. */
export function auditRangeToPicker(range: AuditTimeRange | null): [number, number] | null {
  return range ? [utcAsPicked(Date.parse(range.from)), utcAsPicked(Date.parse(range.to))] : null;
}

/** A route query value as vue-router gives it. */
type QueryValue = string | null | (string | null)[] | undefined;
export type AuditQuery = Record<string, QueryValue>;

function listOf(value: QueryValue): string[] {
  const values = Array.isArray(value) ? value : [value];
  const usable = values.filter((item): item is string => typeof item === 'string' && item.length > 0 && item.length <= MAX_VALUE_LENGTH);
  return [...new Set(usable)].slice(0, MAX_VALUES);
}

function textOf(value: QueryValue): string {
  return listOf(value)[0] ?? '';
}

/** A time the contract accepts, as milliseconds; NaN otherwise. */
function instantOf(value: QueryValue): number {
  const text = textOf(value);
  return utcTimestampSchema.safeParse(text).success ? Date.parse(text) : Number.NaN;
}

/** A range from the address needs both ends, in order; otherwise the log is shown whole. */
function rangeFromQuery(from: QueryValue, to: QueryValue): AuditTimeRange | null {
  const [start, end] = [instantOf(from), instantOf(to)];
  return Number.isNaN(start) || Number.isNaN(end) ? null : rangeOf(start, end);
}

function positiveInteger(value: QueryValue): number | undefined {
  const text = textOf(value);
  return /^[1-9]\d{0,8}$/.test(text) ? Number(text) : undefined;
}

/**
 * The view a (possibly hand-edited or shared) address names: what the contract would refuse is
 * dropped rather than sent, so a stale link shows the unfiltered log instead of an error.
 */
export function auditViewFromQuery(query: AuditQuery): AuditView {
  const size = positiveInteger(query.size);
  return {
    filters: {
      operations: listOf(query.operation),
      actor: textOf(query.actor),
      resourceId: textOf(query.resource),
      outcomes: listOf(query.outcome).filter((value): value is AuditOutcome => (AUDIT_OUTCOMES as readonly string[]).includes(value)),
      time: rangeFromQuery(query.from, query.to),
    },
    page: positiveInteger(query.page) ?? 1,
    pageSize: TABLE_PAGE_SIZES.find((allowed) => allowed === size) ?? DEFAULT_AUDIT_PAGE_SIZE,
  };
}

/** The address query for a view; defaults are left out so the plain log keeps a plain address. */
export function auditViewToQuery(view: AuditView): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  const { filters } = view;
  if (filters.operations.length) query.operation = [...filters.operations];
  if (filters.actor.trim()) query.actor = filters.actor.trim();
  if (filters.resourceId.trim()) query.resource = filters.resourceId.trim();
  if (filters.outcomes.length) query.outcome = [...filters.outcomes];
  if (filters.time) {
    query.from = filters.time.from;
    query.to = filters.time.to;
  }
  if (view.page !== 1) query.page = String(view.page);
  if (view.pageSize !== DEFAULT_AUDIT_PAGE_SIZE) query.size = String(view.pageSize);
  return query;
}
