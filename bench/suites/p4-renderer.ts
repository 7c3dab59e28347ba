/**
 * P4: the renderer in Debian Chromium against the browser host.
 * - navigation to the first rows of the keys page with 100,000 keys (baseline: the same page with
 *   50 keys, in the same run, alternating), cold page per run;
 * - browser-host cold start to interactive: spawning the host as `npm start` does until the page
 *   answers with its unlock screen in an already running Chromium.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { createCore } from '../../electron/main/app/core';
import { createNodeWorkerLauncher } from '../../electron/main/hsm/node-launcher';
import { startBrowserHost, type BrowserHost } from '../../electron/main/transports/ws-host';
import type { Core } from '../../electron/main/app/core-types';
import { BENCH_PASSWORD } from '../lib/bench-core';
import { type Benchmark, type BenchResult, REPORT_ONLY_GOAL, round, skipped } from '../lib/result';
import { seedKeys } from '../lib/seed';
import { median } from '../lib/stats';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const RENDERER_DIR = path.join(REPO_ROOT, 'out', 'renderer');
const CHROMIUM = process.env.KEYWARD_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const FIRST_ROWS_GOAL_MS = 300;
const COLD_START_GOAL_MS = 2000;

interface Served {
  core: Core;
  host: BrowserHost;
  dataDir: string;
}

async function serve(keys: number): Promise<Served> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'keyward-bench-p4-'));
  await seedKeys(dataDir, keys);
  const core = await createCore({ dataDir, launcher: createNodeWorkerLauncher(), actor: 'bench' });
  const outcome = await core.dispatch('InitializeDefaultKeyStore', { KeyStorePassword: BENCH_PASSWORD }, { transport: 'internal' });
  if (!outcome.ok) throw new Error(`InitializeDefaultKeyStore: ${outcome.error.Code}`);
  const host = await startBrowserHost({ dispatch: core.dispatch, rendererDir: RENDERER_DIR, port: 0 });
  return { core, host, dataDir };
}

/** How long the officer looks at the key stores page before the second measurement's click. */
const READING_PAUSE_MS = 2_000;

/**
 * Milliseconds from the officer's navigation to the keys page (a click on its menu entry in a
 * freshly loaded app, so the Pinia store holds no rows yet) to the first key row in the table.
 * The click comes the moment the key stores page shows, or after `pauseMs` (the console fetches
 * and compiles the Keys page's chunks once the browser is idle).
 */
async function firstRowsMs(context: BrowserContext, url: string, pauseMs = 0): Promise<number> {
  const page = await context.newPage();
  try {
    await page.goto(`${url}#/keystores`);
    await page.getByTestId('keystores-table').waitFor({ state: 'visible', timeout: 30_000 });
    await page.getByTestId('default-store-state').waitFor({ state: 'visible', timeout: 30_000 });
    if (pauseMs > 0) await page.waitForTimeout(pauseMs);
    const started = performance.now();
    await page.getByTestId('nav-keys').click();
    // A function, not a string: the page's CSP forbids evaluating strings. No DOM types here, hence globalThis.
    await page.waitForFunction(
      () => {
        const doc = (globalThis as unknown as { document: { querySelector(selector: string): { textContent: string | null } | null } }).document;
        return /[0-9a-f]{8}-[0-9a-f]{4}-/.test(doc.querySelector('[data-testid="keys-table"]')?.textContent ?? ''); // the header row has no key id
      },
      undefined,
      { polling: 'raf', timeout: 30_000 },
    );
    return performance.now() - started;
  } finally {
    await page.close();
  }
}

/** A browser context holding the host's one session (opened through its launch address). */
async function sessionContext(browser: Browser, host: BrowserHost): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  const page = await context.newPage();
  await page.goto(host.launchUrl);
  await page.close();
  return context;
}

function ensureRendererBuilt(log: (line: string) => void): void {
  if (existsSync(path.join(RENDERER_DIR, 'index.html'))) return;
  log('building the renderer (out/renderer) first');
  const vite = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('renderer build failed');
}

/** Spawns the browser host on `dataDir` and returns ms until Chromium shows its unlock screen. */
async function coldStartMs(browser: Browser, dataDir: string): Promise<number> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const launchDir = mkdtempSync(path.join(tmpdir(), 'keyward-bench-launch-'));
  const urlFile = path.join(launchDir, 'launch-url');
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', tsx, 'electron/host/browser-host.ts', '--data-dir', dataDir, '--port', '0', '--renderer-dir', RENDERER_DIR, '--url-file', urlFile],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /KEYWARD_URL=(\S+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`browser host exited with ${code}`)));
    });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(readFileSync(urlFile, 'utf8').trim());
      await page.getByTestId('unlock-password').waitFor({ state: 'visible', timeout: 30_000 });
      return performance.now() - started;
    } finally {
      await context.close();
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(launchDir, { recursive: true, force: true });
  }
}

export const p4Renderer: Benchmark = {
  id: 'P4',
  title: 'renderer: first rows with 100k keys, browser-host cold start',
  async run(options) {
    if (!existsSync(CHROMIUM)) {
      return [
        skipped('P4 keys page first rows, 100k keys', 'ms', `< ${FIRST_ROWS_GOAL_MS} ms`, `no Chromium at ${CHROMIUM}`),
        skipped('P4 browser-host cold start to interactive', 'ms', `< ${COLD_START_GOAL_MS} ms`, `no Chromium at ${CHROMIUM}`),
      ];
    }
    ensureRendererBuilt(options.log);
    const large = await serve(100_000);
    const small = await serve(50);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const results: BenchResult[] = [];
    try {
      const runs = options.quick ? 3 : 9;
      const largeContext = await sessionContext(browser, large.host);
      const smallContext = await sessionContext(browser, small.host);
      await firstRowsMs(largeContext, large.host.url); // warm Chromium's own caches and the registry's pages
      await firstRowsMs(smallContext, small.host.url);
      const firstRows = async (pauseMs: number, name: string, goal: boolean): Promise<BenchResult> => {
        const largeTimes: number[] = [];
        const smallTimes: number[] = [];
        for (let run = 0; run < runs; run += 1) {
          largeTimes.push(await firstRowsMs(largeContext, large.host.url, pauseMs));
          smallTimes.push(await firstRowsMs(smallContext, small.host.url, pauseMs));
        }
        const k = median(largeTimes);
        const b = median(smallTimes);
        options.log(`${name}: 100k keys ${k.toFixed(0)} ms, 50 keys ${b.toFixed(0)} ms (runs: ${largeTimes.map((t) => t.toFixed(0)).join(', ')})`);
        return {
          name,
          keyward: round(k, 1),
          baseline: round(b, 1),
          unit: 'ms',
          ratio: round(b / k),
          goal: goal ? `< ${FIRST_ROWS_GOAL_MS} ms` : REPORT_ONLY_GOAL,
          met: goal ? k < FIRST_ROWS_GOAL_MS : true,
          note: `baseline: the same page with 50 keys; the click ${pauseMs > 0 ? `${pauseMs / 1000} s after` : 'as soon as'} the key stores page shows`,
        };
      };
      results.push(await firstRows(0, 'P4 keys page first rows, 100k keys', true));
      results.push(await firstRows(READING_PAUSE_MS, `P4 keys page first rows, 100k keys, after a ${READING_PAUSE_MS / 1000} s look at the page`, false));

      // The host process needs the registry to itself: stop the in-process core of the large store.
      await large.host.close();
      await large.core.close();
      const coldRuns = options.quick ? 1 : 3;
      const cold: number[] = [];
      for (let run = 0; run < coldRuns; run += 1) cold.push(await coldStartMs(browser, large.dataDir));
      const c = median(cold);
      options.log(`cold start to unlock screen: ${cold.map((t) => t.toFixed(0)).join(', ')} ms`);
      results.push({
        name: 'P4 browser-host cold start to interactive (100k keys)',
        keyward: round(c, 0),
        baseline: null,
        unit: 'ms',
        ratio: null,
        goal: `< ${COLD_START_GOAL_MS} ms`,
        met: c < COLD_START_GOAL_MS,
        note: 'spawn of the host from TypeScript sources (tsx), as npm start runs it, until the unlock screen shows',
      });
      return results;
    } finally {
      await browser.close();
      await large.host.close().catch(() => undefined);
      await large.core.close().catch(() => undefined);
      await small.host.close();
      await small.core.close();
      rmSync(large.dataDir, { recursive: true, force: true });
      rmSync(small.dataDir, { recursive: true, force: true });
    }
  },
};
