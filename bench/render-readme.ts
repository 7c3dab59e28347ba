/**
 * `npx tsx bench/render-readme.ts`: writes the measured figures into README.md, between the
 * `<!-- bench:start/end -->` markers (from bench/results/latest.json, written by `npm run bench`)
 * and the `<!-- reliability:start/end -->` markers (from .cache/reliability/*.json, written by the
 * reliability suites during `npm test`). Text outside the markers is left alone.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { outcomeOf, type BenchResult } from './lib/result';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const README = path.join(ROOT, 'README.md');
const BENCH = path.join(ROOT, 'bench', 'results', 'latest.json');
const RELIABILITY = path.join(ROOT, '.cache', 'reliability');

interface SuiteFigures {
  suite: string;
  title: string;
  lines: string[];
  findings: string[];
  recordedAt: string;
}

function number(value: number | null): string {
  if (value === null) return '–';
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toPrecision(3)));
}

function resultCell(result: BenchResult): string {
  const outcome = outcomeOf(result);
  if (outcome === 'skipped') return `skipped${result.note ? `: ${result.note}` : ''}`;
  return outcome === 'missed' ? '**missed**' : outcome;
}

function benchTable(results: BenchResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${number(r.keyward)} | ${number(r.baseline)} | ${r.unit} | ${r.ratio === null ? '–' : r.ratio.toFixed(2)} | ${r.goal} | ${resultCell(r)} |`,
  );
  return ['| benchmark | Keyward | baseline | unit | ratio | goal | result |', '|---|---:|---:|---|---:|---|---|', ...rows].join('\n');
}

function reliabilityList(suites: SuiteFigures[]): string {
  return suites
    .sort((a, b) => a.suite.localeCompare(b.suite))
    .map((s) => {
      const findings = s.findings.length === 0 ? 'no open findings' : `${s.findings.length} findings: ${s.findings.slice(0, 5).join('; ')}`;
      return [`- **${s.suite} ${s.title}** (${s.recordedAt.slice(0, 10)}): ${findings}.`, ...s.lines.map((line) => `  - ${line}`)].join('\n');
    })
    .join('\n');
}

function replaceBetween(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} markers`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

let readme = readFileSync(README, 'utf8');
if (existsSync(BENCH)) {
  const results = JSON.parse(readFileSync(BENCH, 'utf8')) as BenchResult[];
  const metaFile = path.join(ROOT, 'bench', 'results', 'latest-meta.json');
  const meta = existsSync(metaFile)
    ? (JSON.parse(readFileSync(metaFile, 'utf8')) as { startedAt: string; seconds: number; quick: boolean; only?: string[] | null; loadAverageBefore: number; loadAverageAfter: number })
    : null;
  const run = meta
    ? `, ${meta.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${meta.quick ? '--quick, ' : ''}${meta.only ? `--only ${meta.only.join(',')} (the other rows are from earlier runs), ` : ''}${meta.seconds} s, load average ${meta.loadAverageBefore.toFixed(1)} → ${meta.loadAverageAfter.toFixed(1)}`
    : '';
  const machine = `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.versions.node}${run}`;
  readme = replaceBetween(readme, 'bench', `Last run (${machine}):\n\n${benchTable(results)}`);
}
if (existsSync(RELIABILITY)) {
  const suites = readdirSync(RELIABILITY)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(path.join(RELIABILITY, name), 'utf8')) as SuiteFigures);
  readme = replaceBetween(readme, 'reliability', reliabilityList(suites));
}
writeFileSync(README, readme);
console.log('README.md updated');
