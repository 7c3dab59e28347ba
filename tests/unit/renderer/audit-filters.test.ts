import { describe, expect, it } from 'vitest';
import {
  auditViewFromQuery,
  auditViewToQuery,
  emptyAuditFilters,
  hasAuditFilters,
  toAuditListFilters,
  type AuditView,
} from '../../../renderer/src/lib/audit-filters';
import { contract } from '../../../shared/contract';

describe('audit filters', () => {
  it('sends only the fields set, trimmed, in the contract shape', () => {
    const filters = { operations: ['CreateKey', 'DeleteAlias'], actor: '  officer ', resourceId: '', outcomes: ['FAILURE' as const] };
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
      filters: { operations: ['UpdateAlias'], actor: 'officer', resourceId: 'alias/app', outcomes: ['SUCCESS'] },
      page: 3,
      pageSize: 100,
    };
    const query = auditViewToQuery(view);
    expect(query).toEqual({ operation: ['UpdateAlias'], actor: 'officer', resource: 'alias/app', outcome: ['SUCCESS'], page: '3', size: '100' });
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
      filters: { operations: ['CreateKey'], actor: 'first', resourceId: '', outcomes: ['FAILURE'] },
      page: 1,
      pageSize: 50,
    });
  });

  it('keeps at most ten distinct values per filter', () => {
    const many = Array.from({ length: 14 }, (_, index) => `Op${index % 12}`);
    const operations = auditViewFromQuery({ operation: many }).filters.operations;
    expect(operations).toHaveLength(10);
    expect(new Set(operations).size).toBe(10);
  });
});
