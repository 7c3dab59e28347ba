import { currentLocale, tn } from '../i18n';

/** Dates as the officer reads them in a ceremony log: UTC, second precision, sortable. */
export function formatUtc(iso: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Empty strings (the API's "absent") shown as a dash. */
export function orDash(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? '—' : value;
}

const SIZE_UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/** A file size in decimal units, as file managers show it: "812 bytes", "4.2 MB" (numbers in the console's language). */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return tn('common.bytes', bytes);
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.5 && unit < SIZE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const shown = value < 10 ? value.toFixed(1) : String(Math.round(value));
  return `${Number(shown).toLocaleString(currentLocale(), { minimumFractionDigits: value < 10 ? 1 : 0 })} ${SIZE_UNITS[unit]}`;
}
