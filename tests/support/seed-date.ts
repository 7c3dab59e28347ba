/** A time as the API returns it (seed 003): ISO-8601 UTC to the second, `2019-07-04T13:14:15Z`. */
export function seedDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export const SEED_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
