// Types for results.mjs, so the TypeScript unit tests can import it under `strict`.
export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  note?: string;
}

export interface SuiteRow extends Counts {
  name: string;
  seconds?: number;
}

export function countsFromVitest(report: unknown): Counts;
export function countsFromPlaywright(report: unknown): Counts;
export function settle(counts: Counts, exitCode: number): Counts;
export function total(rows: readonly Counts[]): Counts;
export function finalLine(rows: readonly Counts[]): string;
export function formatSummary(rows: readonly SuiteRow[]): string;
