import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { BROWSER_HOST, HOST_ROOT, RENDERER_OUT, SCREENS_DIR } from './paths';

export interface KeywardHost {
  /** `http://127.0.0.1:PORT/`, as the host printed it (it opens no session by itself). */
  url: string;
  /** The single-use launch address from the host's url-file; already used unless `hostLogin` is false. */
  launchUrl: string;
  /** `keyward_session=…` of the test's browser context, for test-only calls (host-call.ts); '' before login. */
  sessionCookie: string;
  dataDir: string;
  /** Stops the host mid-test (the fixture's teardown then has nothing left to stop). */
  stop(): Promise<void>;
}

const URL_LINE = /^KEYWARD_URL=(http:\/\/127\.0\.0\.1:\d+\/)$/m;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** Resolves with the URL line, or rejects with the host's output if it exits or stalls first. */
function waitForUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`browser host printed no KEYWARD_URL within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const onData = (): void => {
      const match = URL_LINE.exec(output());
      if (match?.[1]) finish(null, match[1]);
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`browser host exited (code ${code}, signal ${signal}) before printing KEYWARD_URL`));
    function finish(error: Error | null, url?: string): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(new Error(`${error.message}\n--- host output ---\n${output()}`));
      else resolve(url ?? '');
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** SIGTERM to the host's process group (it stops its HSM workers), SIGKILL if it lingers. */
async function stopHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  signalGroup('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), STOP_TIMEOUT_MS))]);
  if (timedOut) {
    signalGroup('SIGKILL');
    await exited;
  }
}

/**
 * Console errors every page may log: Chromium notes that a <meta> CSP cannot carry frame-ancestors;
 * failed loads are reported by the response listener instead, with their URL.
 */
const ALWAYS_ALLOWED = [/frame-ancestors' is ignored when delivered via a <meta> element/, /^Failed to load resource: the server responded/];

interface Fixtures {
  host: KeywardHost;
  /** Whether the fixture's page opens the host's one session before the test (default true). */
  hostLogin: boolean;
  /** Set once the fixture stops the host at the end of a test, while the page may still be open. */
  hostTeardown: { started: boolean };
  /** Console errors this test expects (e.g. WebSocket failures after the host stopped). */
  allowedConsoleErrors: RegExp[];
  /** Fails the test on an uncaught page error or an unexpected console error (CSP violations included). */
  consoleGuard: void;
}

export const test = base.extend<Fixtures>({
  allowedConsoleErrors: [[], { option: true }],
  hostLogin: [true, { option: true }],
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their dependencies.
  hostTeardown: async ({}, use) => {
    await use({ started: false });
  },
  consoleGuard: [
    async ({ page, allowedConsoleErrors, hostTeardown }, use) => {
      const problems: string[] = [];
      const allowed = [...ALWAYS_ALLOWED, ...allowedConsoleErrors];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      // Named here with its URL; the console's "Failed to load resource" line says less.
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${new URL(response.url()).pathname}`);
      });
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const text = message.text();
        // The host goes before the page at teardown: the page's reconnect attempt is expected then,
        // and so is a chunk the idle preload fetches once the host is gone.
        if (hostTeardown.started && /^WebSocket connection to .* failed|^Failed to load resource: net::ERR_CONNECTION_REFUSED$/.test(text)) return;
        if (!allowed.some((pattern) => pattern.test(text))) problems.push(`console error: ${text}`);
      });
      await use();
      expect(problems, 'the page logged errors').toEqual([]);
    },
    { auto: true },
  ],

  host: async ({ hostTeardown, hostLogin, page }, use, testInfo) => {
    const started = await launchHost(hostLogin ? page : null);
    try {
      await use(started.host);
    } finally {
      hostTeardown.started = true;
      await started.dispose();
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('browser-host.log', { body: started.log(), contentType: 'text/plain' });
    }
  },
});

export interface LaunchedHost {
  host: KeywardHost;
  /** What the host printed so far. */
  log(): string;
  /** Stops the host and removes its data directory. */
  dispose(): Promise<void>;
}

/**
 * A browser host on a fresh data directory. With a page, that page opens the host's one session
 * (as the officer's window does): the launch address, a 303 with the session cookie, the console.
 * The `host` fixture makes one per test; a test that needs a second installation (a restore onto
 * another workstation) launches another and disposes of it itself.
 */
export async function launchHost(page: Page | null): Promise<LaunchedHost> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'keyward-ui-'));
  // mkdtemp makes it 0700, as the host requires of the url-file's directory.
  const launchDir = await mkdtemp(path.join(tmpdir(), 'keyward-ui-launch-'));
  const urlFile = path.join(launchDir, 'launch-url');
  let log = '';
  // node --import tsx: one process of our own (no npx wrapper), leader of its own group.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', BROWSER_HOST, '--data-dir', dataDir, '--port', '0', '--renderer-dir', RENDERER_OUT, '--url-file', urlFile],
    { cwd: HOST_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, KMS_DATA_DIR: dataDir } },
  );
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const dispose = async (): Promise<void> => {
    await stopHost(child);
    await rm(dataDir, { recursive: true, force: true });
    await rm(launchDir, { recursive: true, force: true });
  };
  try {
    const url = await waitForUrl(child, () => log);
    const launchUrl = (await readFile(urlFile, 'utf8')).trim();
    let sessionCookie = '';
    if (page) {
      await page.goto(launchUrl);
      const cookie = (await page.context().cookies(url)).find((c) => c.name === 'keyward_session');
      if (!cookie) throw new Error('the launch address set no session cookie');
      sessionCookie = `${cookie.name}=${cookie.value}`;
    }
    return { host: { url, launchUrl, sessionCookie, dataDir, stop: () => stopHost(child) }, log: () => log, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

export { expect };

/**
 * Screenshot to test-results/screens/NAME.png, for a person to look at: waits for spinners and
 * transitions to settle, and grows the viewport so the inner scroll area is captured whole.
 */
export async function screen(page: Page, name: string): Promise<void> {
  await expect(page.locator('svg.n-base-loading__icon:visible')).toHaveCount(0);
  await page.waitForTimeout(400);
  const original = page.viewportSize();
  const overflow = await page
    .locator('.n-layout-scroll-container')
    .evaluateAll((elements) => Math.max(0, ...elements.map((el) => el.scrollHeight - el.clientHeight)));
  if (original && overflow > 0) await page.setViewportSize({ width: original.width, height: original.height + overflow });
  await mkdir(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`) });
  if (original && overflow > 0) await page.setViewportSize(original);
}
