/** Small statistics and timing helpers shared by the benchmarks. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `fn` repeatedly for about `ms` milliseconds (sync loop); returns operations per second. */
export function opsPerSecondSync(ms: number, fn: () => void): number {
  const started = performance.now();
  let count = 0;
  let now = started;
  while (now - started < ms) {
    for (let i = 0; i < 16; i += 1) fn();
    count += 16;
    now = performance.now();
  }
  return (count * 1000) / (now - started);
}

/**
 * Keeps `window` calls of `fn` in flight for about `ms` milliseconds; returns completed operations
 * per second. Every call must succeed: a failed call aborts the measurement.
 */
export async function opsPerSecondAsync(ms: number, window: number, fn: () => Promise<void>): Promise<number> {
  const started = performance.now();
  let count = 0;
  const lane = async (): Promise<void> => {
    while (performance.now() - started < ms) {
      await fn();
      count += 1;
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
  return (count * 1000) / (performance.now() - started);
}

/**
 * Alternates the Keyward path and its baseline `rounds` times (K, B, K, B, ...) so drift in machine
 * load hits both alike; returns the medians.
 */
export async function alternate(
  rounds: number,
  keyward: () => Promise<number> | number,
  baseline: () => Promise<number> | number,
): Promise<{ keyward: number; baseline: number; samples: { keyward: number[]; baseline: number[] } }> {
  const samples = { keyward: [] as number[], baseline: [] as number[] };
  for (let round = 0; round < rounds; round += 1) {
    samples.keyward.push(await keyward());
    samples.baseline.push(await baseline());
  }
  return { keyward: median(samples.keyward), baseline: median(samples.baseline), samples };
}

/** Median of `runs` timings of `fn` in milliseconds (after one warm-up call). */
export function medianMs(runs: number, fn: () => void): number {
  fn();
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    fn();
    times.push(performance.now() - started);
  }
  return median(times);
}

export async function medianMsAsync(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * Like opsPerSecondAsync, and also times every call: `lanes` callers each run `fn` one call after
 * another for about `ms` milliseconds. Returns operations per second and each call's latency.
 */
export async function timedLanes(ms: number, lanes: number, fn: () => Promise<void>): Promise<{ opsPerSecond: number; latenciesMs: number[] }> {
  const started = performance.now();
  const latenciesMs: number[] = [];
  const lane = async (): Promise<void> => {
    while (performance.now() - started < ms) {
      const callStarted = performance.now();
      await fn();
      latenciesMs.push(performance.now() - callStarted);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return { opsPerSecond: (latenciesMs.length * 1000) / (performance.now() - started), latenciesMs };
}
