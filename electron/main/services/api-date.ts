/**
 * How a date leaves the service layer: ISO-8601 UTC to the second, `2019-07-04T13:14:15Z`, as the
 * cloud API writes it (seed 003). The registry keeps `toISOString()` text with milliseconds, so its
 * text order stays time order; only the presented form drops them. Absent dates are empty strings.
 */
export function apiDate(stored: string | null | undefined): string {
  if (!stored) return '';
  const time = Date.parse(stored);
  if (Number.isNaN(time)) return stored;
  return `${new Date(time).toISOString().slice(0, 19)}Z`;
}
