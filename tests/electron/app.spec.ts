import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The Electron binary, or null: node_modules/electron throws when its download was skipped. */
function electronBinary(): string | null {
  try {
    return createRequire(path.join(root, 'package.json'))('electron') as string;
  } catch {
    return null;
  }
}

const binary = electronBinary();
test.skip(binary === null, 'No Electron binary: it cannot be downloaded on this machine (npm install ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1)');

let app: ElectronApplication;
let page: Page;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'keyward-electron-'));
  app = await electron.launch({
    executablePath: binary ?? undefined,
    args: [path.join(root, 'out', 'main', 'index.js')],
    cwd: root,
    env: { ...process.env, KMS_DATA_DIR: dataDir },
  });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});

test.afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('opens the Keyward window from the packaged renderer', async () => {
  await expect(page).toHaveTitle(/Keyward/);
  expect(new URL(page.url()).protocol).toBe('file:');
});

/** The page's globals, typed loosely: this file is compiled without the DOM library. */
type PageScope = Record<string, unknown> & {
  kms: { invoke(operation: string, input: unknown): Promise<unknown> };
  location: { href: string };
  open(url: string): unknown;
  fetch(url: string): Promise<unknown>;
};

test('window.kms exposes exactly invoke, onProgress and the two file dialogs', async () => {
  const keys = await page.evaluate(() => Object.keys((globalThis as unknown as PageScope).kms).sort());
  expect(keys).toEqual(['chooseFile', 'invoke', 'onProgress', 'saveFile']);
  const outcome = await page.evaluate(() => (globalThis as unknown as PageScope).kms.invoke('NoSuchOperation', {}));
  expect(outcome).toMatchObject({ ok: false, error: { Code: 'InvalidAction' } });
});

test('the page has no Node: require and process are undefined', async () => {
  const types = await page.evaluate(() => {
    const scope = globalThis as unknown as PageScope;
    return { require: typeof scope.require, process: typeof scope.process, module: typeof scope.module };
  });
  expect(types).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined' });
});

test('navigation to a remote URL and new windows are blocked', async () => {
  const before = page.url();
  await page.evaluate(() => {
    (globalThis as unknown as PageScope).location.href = 'https://example.com/';
  });
  await page.waitForTimeout(1_000);
  expect(page.url()).toBe(before);
  const blocked = await page.evaluate(() => (globalThis as unknown as PageScope).open('https://example.com/') === null);
  expect(blocked).toBe(true);
  expect(app.windows()).toHaveLength(1);
});

test('remote requests from the page are refused', async () => {
  const result = await page.evaluate(() =>
    (globalThis as unknown as PageScope).fetch('https://example.com/').then(
      () => 'loaded',
      () => 'blocked',
    ),
  );
  expect(result).toBe('blocked');
});
