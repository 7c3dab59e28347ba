import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';

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

test('the password typed into the console stays out of renderer storage, the DOM and the data directory', async ({ page, context, host }) => {
  await page.goto(host.url);
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

  const state = JSON.stringify(await context.storageState());
  // Strings, not functions: this file is type-checked without DOM types.
  const session = await page.evaluate<string>('JSON.stringify(Object.entries(sessionStorage))');
  const local = await page.evaluate<string>('JSON.stringify(Object.entries(localStorage))');
  const databases = await page.evaluate<string>('indexedDB.databases().then((list) => JSON.stringify(list))');
  const dom = await page.content();
  for (const secret of [CANARY, WRONG]) {
    for (const [where, text] of Object.entries({ state, session, local, databases, dom })) {
      expect(text.includes(secret), `${where} holds the password`).toBe(false);
    }
    for (const file of filesUnder(host.dataDir)) {
      const content = readFileSync(file);
      expect(content.includes(Buffer.from(secret)), `${file} holds the password`).toBe(false);
      expect(content.includes(Buffer.from(secret, 'utf16le')), `${file} holds the password (UTF-16)`).toBe(false);
    }
  }
});
