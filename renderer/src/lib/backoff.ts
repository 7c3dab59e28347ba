/** Delay before reconnect attempt `attempt` (0-based): 250 ms doubling, capped, with up to 20 % jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random, capMs = 10_000): number {
  const base = Math.min(capMs, 250 * 2 ** Math.max(0, attempt));
  return Math.round(base * (1 + 0.2 * random()));
}
