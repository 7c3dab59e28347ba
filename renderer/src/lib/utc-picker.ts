/**
 * Naive UI's date-time pickers work in the browser's time zone while Keyward shows every time in
 * UTC (lists, certificates, audit): the officer types UTC, and what the list shows afterwards is
 * what was typed. These convert between what a picker holds and the UTC instant it shows.
 */

/** The time a date-time picker shows, taken as UTC (whole seconds, as the picker offers them). */
export function pickedAsUtc(pickerMs: number): number {
  const shown = new Date(pickerMs);
  return Date.UTC(shown.getFullYear(), shown.getMonth(), shown.getDate(), shown.getHours(), shown.getMinutes(), shown.getSeconds());
}

/** The picker value that shows a UTC instant (the inverse of pickedAsUtc, to the second). */
export function utcAsPicked(utcMs: number): number {
  const utc = new Date(utcMs);
  return new Date(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds()).getTime();
}

/** The API's form of a picked time: ISO 8601 UTC in whole seconds, e.g. `2019-07-04T13:14:15Z`. */
export function utcSecondsText(utcMs: number): string {
  return new Date(Math.floor(utcMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A UTC picker's buttons: no "Now", which would pick the browser's local time while the picker is read as UTC. */
export const UTC_PICKER_ACTIONS: ('clear' | 'confirm')[] = ['clear', 'confirm'];
