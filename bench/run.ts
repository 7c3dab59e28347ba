/**
 * `npm run bench [-- --quick] [-- --only P1,P2]`: every benchmark runs the Keyward path and its
 * baseline in this one process, alternating, on the same SoftHSM2 token; prints the medians and
 * ratios and writes them to bench/results/latest.json. Not part of `npm test`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { outcomeOf, type Benchmark, type BenchResult } from './lib/result';
import { p1Throughput } from './suites/p1-throughput';
import { p2Registry } from './suites/p2-registry';
import { p3Ceremony } from './suites/p3-ceremony';
import { p4Renderer } from './suites/p4-renderer';
import { p5EventLoop } from './suites/p5-event-loop';
import { p6Endpoint } from './suites/p6-endpoint';
import { p7XksEncrypt } from './suites/p7-xks';
import { p8Backup } from './suites/p8-backup';

const BENCHMARKS: Benchmark[] = [p1Throughput, p2Registry, p3Ceremony, p4Renderer, p5EventLoop, p6Endpoint, p7XksEncrypt, p8Backup];
const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

function parseArgs(argv: string[]): { quick: boolean; only: string[] | null } {
  const onlyIndex = argv.indexOf('--only');
  const only = onlyIndex >= 0 ? (argv[onlyIndex + 1] ?? '').split(',').filter(Boolean).map((id) => id.toUpperCase()) : null;
  return { quick: argv.includes('--quick'), only };
}

function format(value: number | null): string {
  if (value === null) return '-';
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

function table(results: BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    format(r.keyward),
    format(r.baseline),
    r.unit,
    r.ratio === null ? '-' : r.ratio.toFixed(3),
    r.goal,
    outcomeOf(r) === 'missed' ? 'MISSED' : outcomeOf(r),
  ]);
  const header = ['benchmark', 'keyward', 'baseline', 'unit', 'ratio', 'goal', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** With --only, the other benchmarks keep their last results (in catalogue order), so the README table stays whole. */
function mergeWithPrevious(file: string, results: BenchResult[], only: string[]): BenchResult[] {
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BenchResult[]) : [];
  const idOf = (result: BenchResult): string => result.name.split(' ')[0] ?? '';
  const kept = previous.filter((result) => !only.includes(idOf(result)));
  const order = BENCHMARKS.map((bench) => bench.id);
  return [...kept, ...results].sort((a, b) => order.indexOf(idOf(a)) - order.indexOf(idOf(b)));
}

async function main(): Promise<void> {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const loadBefore = os.loadavg()[0] ?? 0;
  console.log(`${os.cpus().length} cores, load average ${loadBefore.toFixed(2)} (figures scale with it: the goals assume an otherwise idle machine)`);
  const results: BenchResult[] = [];
  for (const bench of BENCHMARKS) {
    if (only && !only.includes(bench.id)) continue;
    const benchStarted = Date.now();
    console.log(`\n== ${bench.id}: ${bench.title}${quick ? ' (quick)' : ''}`);
    try {
      results.push(...(await bench.run({ quick, log: (line) => console.log(`   ${line}`) })));
    } catch (error) {
      console.error(`   ${bench.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      results.push({ name: `${bench.id} (failed)`, keyward: null, baseline: null, unit: '', ratio: null, goal: '', met: false, note: String(error) });
    }
    console.log(`   (${((Date.now() - benchStarted) / 1000).toFixed(1)} s)`);
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, 'latest.json');
  writeFileSync(file, `${JSON.stringify(only ? mergeWithPrevious(file, results, only) : results, null, 2)}\n`);
  const meta = { startedAt: new Date(started).toISOString(), seconds: Math.round((Date.now() - started) / 1000), quick, only, cores: os.cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: os.loadavg()[0] ?? 0 };
  writeFileSync(path.join(RESULTS_DIR, 'latest-meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  console.log(`\n${table(results)}\n`);
  for (const r of results.filter((x) => x.note)) console.log(`note: ${r.name}: ${r.note}`);
  console.log(`\nwrote ${path.relative(process.cwd(), file)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  // Worker processes and sockets are closed by each benchmark; anything left must not keep us alive.
  process.exit(results.some((r) => r.met === false && r.name.endsWith('(failed)')) ? 1 : 0);
}

await main();
