/**
 * The reliability suites write what they did (cases tried, faults injected, crash points, findings)
 * to .cache/reliability/<suite>.json; `npx tsx tests/integration/reliability/render-readme.ts`
 * renders those files into the README's reliability section.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIGURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '.cache', 'reliability');

export interface SuiteFigures {
  suite: string;
  title: string;
  /** One line per figure, already in words ("10,412 hostile cases: ..."). */
  lines: string[];
  findings: string[];
  seed?: number;
  recordedAt: string;
}

export function writeFigures(figures: Omit<SuiteFigures, 'recordedAt'>): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  const full: SuiteFigures = { ...figures, recordedAt: new Date().toISOString() };
  writeFileSync(path.join(FIGURES_DIR, `${figures.suite}.json`), `${JSON.stringify(full, null, 2)}\n`);
}

export function thousands(value: number): string {
  return value.toLocaleString('en-US');
}
