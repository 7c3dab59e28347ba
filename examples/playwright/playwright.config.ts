import { defineConfig } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from 'keyward/testing';

/** One Keyward per test (the kit's fixture), in Debian's Chromium, headless. */
export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  // Builds the console once, before the first test.
  globalSetup: './global-setup.ts',
  timeout: 180_000,
  expect: { timeout: 20_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    viewport: { width: 1366, height: 860 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    // A click on something that never appears fails after 20 s with its locator, not at the test's timeout.
    actionTimeout: 20_000,
  },
});
