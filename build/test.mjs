#!/usr/bin/env node
// `npm test`: bootstrap, then every check and suite in a fixed order, each one's output streamed and
// its result captured; a per-suite summary; and as the very last line `N passed, N failed` (skips are in the table)
// (CI reads that line). Exits non-zero when anything failed.
//
//   npm test                         everything
//   npm test -- --only lint,unit     a subset, by step name (see STEPS below)
//   KEYWARD_TEST_BUDGET_S=5100       overall time budget (CI stops runs at 90 minutes)
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bootstrap, BootstrapError } from './bootstrap.mjs';
import { electronBinary, localBin, ROOT, run } from './lib/proc.mjs';
import { countsFromPlaywright, countsFromVitest, finalLine, formatSummary, settle } from './lib/results.mjs';

const RESULTS_DIR = join(ROOT, '.cache', 'test-results');
const MIN = 60_000;

/** A check (lint, typecheck, build…) counts as one test: passed when it exits 0. */
function check(name, bin, args, { timeoutMs = 10 * MIN, env = {}, onPass = () => {} } = {}) {
  return {
    name,
    timeoutMs,
    async run() {
      const { code } = await exec(bin, args, timeoutMs, env);
      if (code === 0) onPass();
      return code === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0, note: `exit ${code}` };
    },
  };
}

function vitestSuite(project, timeoutMs) {
  const out = join(RESULTS_DIR, `vitest-${project}.json`);
  const args = ['run', '--project', project, '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`];
  return {
    name: project,
    timeoutMs,
    async run() {
      const { code } = await exec('vitest', args, timeoutMs);
      const report = readJson(out);
      const counts = settle(countsFromVitest(report), code);
      if (!report && code === 0) counts.note = 'no test files';
      return counts;
    },
  };
}

function playwrightSuite(name, config, timeoutMs, { note = () => null, env = () => ({}), prepare = () => {} } = {}) {
  const out = join(RESULTS_DIR, `playwright-${name}.json`);
  return {
    name,
    timeoutMs,
    async run() {
      if (!existsSync(join(ROOT, config))) return { passed: 0, failed: 0, skipped: 0, note: `${config} not present` };
      prepare();
      const args = ['test', '--config', config, '--reporter=list,json', '--pass-with-no-tests'];
      const { code } = await exec('playwright', args, timeoutMs, { ...env(), PLAYWRIGHT_JSON_OUTPUT_FILE: out });
      const counts = settle(countsFromPlaywright(readJson(out)), code);
      counts.note ??= note() ?? undefined;
      return counts;
    },
  };
}

/**
 * What `npm install` does in examples/playwright for its `"keyward": "file:../.."` dependency (a
 * link to this checkout), without installing anything: its other dependency, @playwright/test,
 * resolves from this checkout's node_modules above it.
 */
function linkExampleToKit() {
  const link = join(ROOT, 'examples', 'playwright', 'node_modules', 'keyward');
  mkdirSync(dirname(link), { recursive: true });
  if (!lstatSync(link, { throwIfNoEntry: false })) symlinkSync(join('..', '..', '..'), link);
}

/** Set when this run built out/renderer, so the UI suite's global setup need not build it again. */
let rendererBuilt = false;

const STEPS = [
  check('lint', 'eslint', ['.', '--max-warnings', '0']),
  check('typecheck-node', 'tsc', ['-p', 'tsconfig.node.json', '--noEmit']),
  check('typecheck-web', 'vue-tsc', ['-p', 'tsconfig.web.json', '--noEmit']),
  check('depcheck', 'depcruise', ['electron', 'shared', 'renderer', '--config', '.dependency-cruiser.cjs'], { timeoutMs: 5 * MIN }),
  vitestSuite('unit', 15 * MIN),
  vitestSuite('integration', 35 * MIN),
  // The renderer alone first: the browser host and the UI suite need only out/renderer.
  check('build-renderer', 'electron-vite', ['build', '--ignoreConfigWarning'], {
    env: { KEYWARD_BUILD_ONLY: 'renderer' },
    onPass: () => {
      rendererBuilt = true;
    },
  }),
  // What the renderer's first paint loads (index.html's entry and its modulepreloads) stays under 500 kB;
  // a missing build fails here rather than passing unmeasured.
  check('renderer-entry-size', process.execPath, [join(ROOT, 'build', 'check-entry-chunk.mjs')], { timeoutMs: MIN }),
  check('build-main', 'electron-vite', ['build', '--ignoreConfigWarning'], { env: { KEYWARD_BUILD_ONLY: 'main' } }),
  // About 19 min on a quiet two-core machine (47 specs, two workers): the cap is for a hang, with room for a slower machine.
  playwrightSuite('ui', 'tests/ui/playwright.config.ts', 35 * MIN, {
    env: () => (rendererBuilt ? { KEYWARD_UI_SKIP_BUILD: '1' } : {}),
  }),
  // The example project as an outside team runs it: it imports `keyward/testing` by package name.
  playwrightSuite('example', 'examples/playwright/playwright.config.ts', 10 * MIN, {
    env: () => (rendererBuilt ? { KEYWARD_UI_SKIP_BUILD: '1' } : {}),
    prepare: linkExampleToKit,
  }),
  playwrightSuite('electron', 'tests/electron/playwright.config.ts', 10 * MIN, {
    note: () => (electronBinary() ? null : 'no Electron binary'), // after bootstrap: npm install may have fetched it
  }),
  // `npm run package` (the .deb, SBOM, SHA256SUMS in dist/), then the checks of what it built.
  check('build-package', process.execPath, [join(ROOT, 'build', 'package', 'index.mjs')], { timeoutMs: 15 * MIN }),
  vitestSuite('package', 15 * MIN),
];

let deadline = 0;

async function exec(bin, args, stepTimeoutMs, env = {}) {
  const timeoutMs = Math.max(1_000, Math.min(stepTimeoutMs, deadline - Date.now()));
  // Colour only on a terminal: CI logs stay free of escape codes. NO_COLOR, not FORCE_COLOR=0:
  // Vitest's colour library treats any FORCE_COLOR value as "on".
  const noColor = !process.stdout.isTTY && process.env.FORCE_COLOR === undefined ? { NO_COLOR: '1' } : {};
  // A bare name is a tool of node_modules/.bin; an absolute path (node itself) runs as it is.
  return run(bin.startsWith('/') ? bin : localBin(bin), args, { timeoutMs, env: { ...process.env, ...noColor, ...env } });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function parseOnly(argv) {
  const index = argv.indexOf('--only');
  if (index < 0) return null;
  const names = (argv[index + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((n) => !STEPS.some((s) => s.name === n));
  if (names.length === 0 || unknown.length > 0) {
    console.error(`--only takes a comma-separated list of: ${STEPS.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  return names;
}

async function main() {
  const started = Date.now();
  deadline = started + Number(process.env.KEYWARD_TEST_BUDGET_S ?? 85 * 60) * 1000;
  const only = parseOnly(process.argv.slice(2));
  const rows = [];

  try {
    bootstrap();
  } catch (error) {
    console.error(`[bootstrap] ${error instanceof BootstrapError ? error.message : error.stack}`);
    rows.push({ name: 'bootstrap', passed: 0, failed: 1, skipped: 0, seconds: (Date.now() - started) / 1000, note: 'setup failed' });
    console.log(`\n${formatSummary(rows)}\n${finalLine(rows)}`);
    process.exit(1);
  }

  rmSync(RESULTS_DIR, { recursive: true, force: true }); // never count a previous run's report
  mkdirSync(RESULTS_DIR, { recursive: true });

  const steps = only ? STEPS.filter((s) => only.includes(s.name)) : STEPS;
  for (const [index, step] of steps.entries()) {
    const stepStart = Date.now();
    let counts;
    if (deadline - Date.now() < 5_000) {
      counts = { passed: 0, failed: 1, skipped: 0, note: 'not run: time budget used up' };
    } else {
      console.log(`\n━━━━ [${index + 1}/${steps.length}] ${step.name} ━━━━`);
      try {
        counts = await step.run();
      } catch (error) {
        console.error(error);
        counts = { passed: 0, failed: 1, skipped: 0, note: 'runner error' };
      }
    }
    const row = { name: step.name, ...counts, seconds: (Date.now() - stepStart) / 1000 };
    rows.push(row);
    console.log(`━━━━ ${step.name}: ${row.passed} passed, ${row.failed} failed, ${row.skipped} skipped${row.note ? ` (${row.note})` : ''}`);
  }

  const failed = rows.some((r) => r.failed > 0);
  console.log(`\nSummary (${Math.round((Date.now() - started) / 1000)} s):\n${formatSummary(rows)}\n`);
  console.log(finalLine(rows));
  process.exitCode = failed ? 1 : 0;
}

await main();
