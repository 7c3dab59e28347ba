import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createTextSecret, openSecrets } from './secret-steps';
import { consoleOpen } from './steps';

/*
 * R4, renderer side: after the first-run and unlock screens have handled a canary password (and a
 * wrong one), it is in no renderer storage (localStorage, sessionStorage, cookies, IndexedDB),
 * not in the page's DOM, and in no file of the host's data directory.
 */
const CANARY = 'UiCanary7Pw0rdQ';
const WRONG = 'UiCanary9Wr0ngQ';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Everything the renderer could have kept: cookies and origins' storage, session and local storage, IndexedDB, the DOM. */
async function rendererTraces(page: Page, context: BrowserContext): Promise<Record<string, string>> {
  return {
    state: JSON.stringify(await context.storageState()),
    // Strings, not functions: this file is type-checked without DOM types.
    session: await page.evaluate<string>('JSON.stringify(Object.entries(sessionStorage))'),
    local: await page.evaluate<string>('JSON.stringify(Object.entries(localStorage))'),
    databases: await page.evaluate<string>('indexedDB.databases().then((list) => JSON.stringify(list))'),
    dom: await page.content(),
    url: page.url(),
  };
}

function expectNotInDataDir(dataDir: string, secret: string, what: string): void {
  for (const file of filesUnder(dataDir)) {
    const content = readFileSync(file);
    expect(content.includes(Buffer.from(secret)), `${file} holds the ${what}`).toBe(false);
    expect(content.includes(Buffer.from(secret, 'utf16le')), `${file} holds the ${what} (UTF-16)`).toBe(false);
  }
}

test.describe('on the first-run and unlock screens', () => {
  // The console's own first run: the canary is typed into it, not set by the kit.
  test.use({ initialize: false });

  test('the password typed into the console stays out of renderer storage, the DOM and the data directory', async ({ page, context, keyward }) => {
    await page.goto(keyward.url);
    await page.getByTestId('setup-password').fill(CANARY);
    await page.getByTestId('setup-password-confirm').fill(CANARY);
    await page.getByTestId('setup-submit').click();
    await expect(page.getByTestId('default-store-state')).toHaveText('CONNECTED');

    await page.getByTestId('lock-button').click();
    await page.getByTestId('unlock-password').fill(WRONG);
    await page.getByTestId('unlock-submit').click();
    await expect(page.getByTestId('unlock-error')).toHaveText('Incorrect password');
    await page.getByTestId('unlock-password').fill(CANARY);
    await page.getByTestId('unlock-submit').click();
    await expect(page.getByTestId('default-store-state')).toHaveText('CONNECTED');
    await page.reload();
    await expect(page.getByTestId('keys-table')).toBeVisible();

    const traces = await rendererTraces(page, context);
    for (const secret of [CANARY, WRONG]) {
      for (const [where, text] of Object.entries(traces)) {
        expect(text.includes(secret), `${where} holds the password`).toBe(false);
      }
      expectNotInDataDir(keyward.dataDir, secret, 'password');
    }
  });
});

/*
 * R4 for Secrets Manager, renderer side: secret values typed into the create and put-value dialogs
 * and revealed on the secret's page are, once hidden and left, in no renderer storage, not in the
 * DOM, the address or the console log, and in no file of the data directory (stored sealed only).
 */
const SECRET_CANARY = 'UiSecretCanary8ZqW';
const PUT_CANARY = 'UiSecretCanary9RxV';

test('secret values typed and revealed in the console stay out of renderer storage, the log and the data directory', async ({ page, context, keyward }) => {
  const log: string[] = [];
  page.on('console', (message) => log.push(message.text()));
  await consoleOpen(page);
  await createTextSecret(page, 'hygiene/canary', SECRET_CANARY);
  await page.getByTestId('secret-reveal').click();
  await expect(page.getByTestId('secret-value-text')).toHaveText(SECRET_CANARY);

  await page.getByTestId('secret-put-value').click();
  await page.getByTestId('secret-put-text').fill(PUT_CANARY);
  await page.getByTestId('secret-put-submit').click();
  await expect(page.getByTestId('secret-put-dialog')).toBeHidden();
  await expect(page.getByTestId('secret-value-masked')).toBeVisible();
  await page.getByTestId('secret-reveal').click();
  await expect(page.getByTestId('secret-value-text')).toHaveText(PUT_CANARY);
  await page.getByTestId('secret-hide').click();
  await expect(page.getByTestId('secret-value-masked')).toBeVisible();
  await openSecrets(page);

  // Still the same page (no reload): the stores that outlive a view hold no value either.
  const traces = await rendererTraces(page, context);
  traces.pinia = await page.evaluate<string>("JSON.stringify(document.querySelector('#app').__vue_app__.config.globalProperties.$pinia.state.value)");
  expect(traces.pinia).toContain('hygiene/canary');
  traces.log = log.join('\n');
  await page.reload();
  await expect(page.getByTestId('secrets-table')).toBeVisible();
  const afterReload = await rendererTraces(page, context);
  for (const secret of [SECRET_CANARY, PUT_CANARY]) {
    for (const [where, text] of Object.entries(traces)) {
      expect(text.includes(secret), `${where} holds the secret value`).toBe(false);
    }
    for (const [where, text] of Object.entries(afterReload)) {
      expect(text.includes(secret), `${where} holds the secret value after a reload`).toBe(false);
    }
    expectNotInDataDir(keyward.dataDir, secret, 'secret value');
  }
});
