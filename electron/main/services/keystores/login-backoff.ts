/**
 * The back-off schedule of failed logins, as pure functions of the count and the clock. SoftHSM2
 * never locks a PIN, so without this a caller could try hundreds of passwords a second.
 */

/** Failures that cost nothing: an officer mistyping twice or three times waits for nothing. */
export const FREE_FAILED_LOGINS = 3;
export const FIRST_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 5 * 60_000;

/** How long after the last failure the next attempt must wait, given the consecutive failures so far. */
export function backoffMs(failedLogins: number): number {
  if (failedLogins < FREE_FAILED_LOGINS) return 0;
  // Doubling from the first window; the exponent is capped before 2 ** n can grow past the cap anyway.
  const doublings = Math.min(failedLogins - FREE_FAILED_LOGINS, 20);
  return Math.min(FIRST_BACKOFF_MS * 2 ** doublings, MAX_BACKOFF_MS);
}

/**
 * Milliseconds until the next attempt is allowed (0: now). An unreadable last failure, or one in
 * the future (the clock went back), starts the whole window now rather than opening it.
 */
export function retryAfterMs(failedLogins: number, lastFailureAt: string | null, now: Date): number {
  if (lastFailureAt === null) return 0;
  const last = Date.parse(lastFailureAt);
  if (Number.isNaN(last)) return backoffMs(failedLogins);
  const elapsed = Math.max(0, now.getTime() - last);
  return Math.max(0, backoffMs(failedLogins) - elapsed);
}
