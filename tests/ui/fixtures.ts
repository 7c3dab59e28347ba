import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { launchHost as launchKitHost, type KeywardHost, type LaunchedHost } from '../../testing/launch';
import { SCREENS_DIR } from './paths';

export type { KeywardHost, LaunchedHost };

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

/**
 * A browser host on a fresh data directory (the kit's launcher). With a page, that page opens the
 * host's one session (as the officer's window does): the launch address, a 303 with the session
 * cookie, the console. The `host` fixture makes one per test; a test that needs a second
 * installation (a restore onto another workstation) launches another and disposes of it itself.
 */
export function launchHost(page: Page | null): Promise<LaunchedHost> {
  return launchKitHost({ page });
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
