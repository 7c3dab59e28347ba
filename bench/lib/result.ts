/** One line of bench/results/latest.json. */
export interface BenchResult {
  name: string;
  /** Median of the Keyward path (null when skipped). */
  keyward: number | null;
  /** Median of the baseline in the same run (null when the benchmark has no baseline or was skipped). */
  baseline: number | null;
  unit: string;
  /** keyward / baseline for throughputs, baseline / keyward for times (so higher is better); null without a baseline. */
  ratio: number | null;
  /** The goal from the issue, in words, and whether this run met it (null: skipped). */
  goal: string;
  met: boolean | null;
  note?: string;
}

/** The goal of a figure the issue asks to report without a target (shown as `reported`, counted as met). */
export const REPORT_ONLY_GOAL = 'report';

/** The result column of the printed and README tables. */
export function outcomeOf(result: BenchResult): 'met' | 'missed' | 'skipped' | 'reported' {
  if (result.met === null) return 'skipped';
  if (result.goal === REPORT_ONLY_GOAL) return 'reported';
  return result.met ? 'met' : 'missed';
}

export interface BenchOptions {
  quick: boolean;
  log: (line: string) => void;
}

export interface Benchmark {
  id: string;
  title: string;
  run(options: BenchOptions): Promise<BenchResult[]>;
}

export function skipped(name: string, unit: string, goal: string, note: string): BenchResult {
  return { name, keyward: null, baseline: null, unit, ratio: null, goal, met: null, note };
}

export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
