import { describe, expect, it } from 'vitest';
import {
  auditRangeFromPicker,
  auditRangeToPicker,
  auditViewFromQuery,
  auditViewToQuery,
  emptyAuditFilters,
  hasAuditFilters,
  toAuditListFilters,
  toAuditListInput,
  type AuditView,
} from '../../../renderer/src/lib/audit-filters';
import { contract } from '../../../shared/contract';

describe('audit filters', () => {
  it('sends only the fields set, trimmed, in the contract shape', () => {
    const filters = { operations: ['CreateKey', 'DeleteAlias'], actor: '  officer ', resourceId: '', outcomes: ['FAILURE' as const], time: null };
    const sent = toAuditListFilters(filters);
    expect(sent).toEqual([
      { Key: 'Operation', Values: ['CreateKey', 'DeleteAlias'] },
      { Key: 'Actor', Values: ['officer'] },
      { Key: 'Outcome', Values: ['FAILURE'] },
    ]);
    expect(contract.ListAuditEvents.input.safeParse({ PageNumber: 1, PageSize: 50, Filters: sent }).success).toBe(true);
  });

  it('treats blank text as no filter', () => {
    expect(hasAuditFilters(emptyAuditFilters())).toBe(false);
    expect(hasAuditFilters({ ...emptyAuditFilters(), resourceId: '   ' })).toBe(false);
    expect(hasAuditFilters({ ...emptyAuditFilters(), resourceId: 'key-1' })).toBe(true);
  });
});

describe('audit view in the address', () => {
  it('round-trips filters and paging through the query', () => {
    const view: AuditView = {
      filters: {
        operations: ['UpdateAlias'],
        actor: 'officer',
        resourceId: 'alias/app',
        outcomes: ['SUCCESS'],
        time: { from: '2026-03-01T10:00:00Z', to: '2026-03-02T00:00:00Z' },
      },
      page: 3,
      pageSize: 100,
    };
    const query = auditViewToQuery(view);
    expect(query).toEqual({
      operation: ['UpdateAlias'],
      actor: 'officer',
      resource: 'alias/app',
      outcome: ['SUCCESS'],
      from: '2026-03-01T10:00:00Z',
      to: '2026-03-02T00:00:00Z',
      page: '3',
      size: '100',
    });
    expect(auditViewFromQuery(query)).toEqual(view);
  });

  it('keeps the plain log at a plain address', () => {
    expect(auditViewToQuery({ filters: emptyAuditFilters(), page: 1, pageSize: 50 })).toEqual({});
    expect(auditViewFromQuery({})).toEqual({ filters: emptyAuditFilters(), page: 1, pageSize: 50 });
  });

  it('reads a single value as a list and drops what the contract would refuse', () => {
    const view = auditViewFromQuery({
      operation: 'CreateKey',
      outcome: ['FAILURE', 'MAYBE', null],
      actor: ['first', 'second'],
      resource: 'x'.repeat(257),
      page: '-2',
      size: '37',
    });
    expect(view).toEqual({
      filters: { operations: ['CreateKey'], actor: 'first', resourceId: '', outcomes: ['FAILURE'], time: null },
      page: 1,
      pageSize: 50,
    });
  });

  it('keeps a time range only with both ends, each a UTC time the contract takes, the end after the start', () => {
    const time = (from: string | undefined, to: string | undefined) => auditViewFromQuery({ from, to }).filters.time;
    expect(time('2026-03-01T10:00:00Z', '2026-03-01T11:00:00Z')).toEqual({ from: '2026-03-01T10:00:00Z', to: '2026-03-01T11:00:00Z' });
    expect(time('2026-03-01T10:00:00Z', undefined)).toBeNull();
    expect(time('2026-03-01T11:00:00Z', '2026-03-01T10:00:00Z')).toBeNull();
    expect(time('2026-03-01T10:00:00+01:00', '2026-03-01T11:00:00Z')).toBeNull();
    expect(time('2026-02-30T10:00:00Z', '2026-03-01T11:00:00Z')).toBeNull();
    // Both ends in the same second would be an empty range in whole seconds: the service refuses it.
    expect(time('2026-03-01T10:00:00.100Z', '2026-03-01T10:00:00.900Z')).toBeNull();
  });

  it('keeps at most ten distinct values per filter', () => {
    const many = Array.from({ length: 14 }, (_, index) => `Op${index % 12}`);
    const operations = auditViewFromQuery({ operation: many }).filters.operations;
    expect(operations).toHaveLength(10);
    expect(new Set(operations).size).toBe(10);
  });
});

describe('audit time range', () => {
  /** What a picker holds when it shows this wall-clock time in the browser's zone. */
  const shows = (wallClock: string) => new Date(wallClock).getTime();

  it('reads the picker as UTC and shows a range back as it was picked, whatever the browser\'s time zone', () => {
    const zone = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
        process.env.TZ = tz;
        const picked: [number, number] = [shows('2026-03-01T10:00:00'), shows('2026-03-01T11:30:00')];
        const range = auditRangeFromPicker(picked);
        expect(range, tz).toEqual({ from: '2026-03-01T10:00:00Z', to: '2026-03-01T11:30:00Z' });
        expect(auditRangeToPicker(range), tz).toEqual(picked);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('drops an empty range, and sends a chosen one as FromTime/ToTime the contract accepts', () => {
    expect(auditRangeFromPicker(null)).toBeNull();
    expect(auditRangeFromPicker([shows('2026-03-01T10:00:00'), shows('2026-03-01T10:00:00')])).toBeNull();
    expect(auditRangeToPicker(null)).toBeNull();
    const filters = { ...emptyAuditFilters(), time: { from: '2026-03-01T10:00:00Z', to: '2026-03-01T11:00:00Z' } };
    expect(hasAuditFilters(filters)).toBe(true);
    const input = toAuditListInput(filters);
    expect(input).toEqual({ Filters: [], FromTime: '2026-03-01T10:00:00Z', ToTime: '2026-03-01T11:00:00Z' });
    expect(contract.ListAuditEvents.input.safeParse({ PageNumber: 1, PageSize: 50, ...input }).success).toBe(true);
    expect(toAuditListInput(emptyAuditFilters())).toEqual({ Filters: [] });
  });
});
