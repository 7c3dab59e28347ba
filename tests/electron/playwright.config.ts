import { defineConfig } from '@playwright/test';

/**
 * The Electron shell, driven through Playwright's `_electron`. Needs the Electron binary and a
 * built app (out/, from `electron-vite build`); without the binary every test reports itself
 * skipped (see app.spec.ts), which is the normal case on offline machines and in CI here.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 60_000,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  outputDir: '../../test-results/electron',
});
