import { describe, expect, it } from 'vitest';
import { auditTimeBound } from '../../../electron/main/services/audit/audit-time-bound';

describe('auditTimeBound', () => {
  it('reads whole seconds and milliseconds as they are', () => {
    expect(auditTimeBound('2026-03-01T10:00:00Z').toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(auditTimeBound('2026-03-01T10:00:00.5Z').toISOString()).toBe('2026-03-01T10:00:00.500Z');
    expect(auditTimeBound('2026-03-01T10:00:00.123000Z').toISOString()).toBe('2026-03-01T10:00:00.123Z');
  });

  it('rounds a finer fraction up to the next millisecond, so the bound stays exact for millisecond records', () => {
    expect(auditTimeBound('2026-03-01T10:00:00.1230001Z').toISOString()).toBe('2026-03-01T10:00:00.124Z');
    expect(auditTimeBound('2026-03-01T10:00:00.999999Z').toISOString()).toBe('2026-03-01T10:00:01.000Z');
  });
});
