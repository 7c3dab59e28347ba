/**
 * A ListAuditEvents time bound as a Date. The log records milliseconds while the contract accepts
 * finer fractions, which Date.parse truncates; rounding up instead keeps both bounds exact: an
 * event at t (whole ms) is at or after x exactly when t >= ceil(x), and before x when t < ceil(x).
 */
export function auditTimeBound(iso: string): Date {
  const truncated = Date.parse(iso);
  const beyondMilliseconds = /\.\d{3}(\d+)Z$/.exec(iso)?.[1] ?? '';
  return new Date(/[1-9]/.test(beyondMilliseconds) ? truncated + 1 : truncated);
}
