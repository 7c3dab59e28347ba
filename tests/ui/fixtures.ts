import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test as kit, expect } from '../../testing';
import { SCREENS_DIR } from './paths';

export type { Keyward, KmsClient } from '../../testing';

/** The officer password the suite's Keyward is initialized with (test-only). */
export const PASSWORD = 'Ceremony2024x';

/**
 * Console errors every page may log: Chromium notes that a <meta> CSP cannot carry frame-ancestors;
 * failed loads are reported by the response listener instead, with their URL.
 */
const ALWAYS_ALLOWED = [/frame-ancestors' is ignored when delivered via a <meta> element/, /^Failed to load resource: the server responded/];

interface SuiteFixtures {
  /** Console errors this test expects (e.g. WebSocket failures after the host stopped). */
  allowedConsoleErrors: RegExp[];
  /** Fails the test on an uncaught page error or an unexpected console error (CSP violations included). */
  consoleGuard: void;
}

/**
 * The suite's test: the testing kit's fixture (`keyward`, `page`, `kms`; one Keyward per test,
 * initialized with PASSWORD unless a spec sets `initialize: false`), so the kit cannot drift from
 * the console, plus the suite's own guard against console errors.
 */
export const test = kit.extend<SuiteFixtures>({
  // Still an option (an override keeps it one); a plain value is what TypeScript accepts here.
  password: PASSWORD,
  allowedConsoleErrors: [[], { option: true }],
  consoleGuard: [
    // On the kit's page, which needs Keyward running: the guard's check runs before Keyward stops,
    // so the page's reconnect attempts at teardown are not counted against the test.
    async ({ page, allowedConsoleErrors }, use) => {
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
        if (!allowed.some((pattern) => pattern.test(text))) problems.push(`console error: ${text}`);
      });
      await use();
      expect(problems, 'the page logged errors').toEqual([]);
    },
    { auto: true },
  ],
});

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
