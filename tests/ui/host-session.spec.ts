import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import { writeLaunchPage } from '../../build/lib/launch-page.mjs';
import { expect, test, type Keyward } from './fixtures';

/*
 * The browser host's one session per launch, in real Chromium (issue 18, finding 2): the launch
 * address sets an HttpOnly, SameSite=Strict cookie with a 303 to the console, and that cookie must
 * reach the console's WebSocket both when the address is opened directly and when start.mjs's
 * launch page (a file:// page, i.e. a cross-site initiator) forwards to it.
 */

// Each test looks for the first-run screen: what a console served without a session could not show.
test.use({ initialize: false });

/** The console answered an operation over its WebSocket: the first-run screen needs DescribeKeyStores. */
async function expectConsoleServed(page: Page, keyward: Keyward): Promise<void> {
  await expect(page.getByTestId('setup-password')).toBeVisible();
  expect(page.url().split('#')[0]).toBe(keyward.url); // the router adds its #/route
  const cookies = await page.context().cookies(keyward.url);
  expect(cookies.map(({ name, httpOnly, sameSite, secure, path: cookiePath }) => ({ name, httpOnly, sameSite, secure, cookiePath }))).toEqual([
    { name: 'keyward_session', httpOnly: true, sameSite: 'Strict', secure: false, cookiePath: '/' },
  ]);
  // HttpOnly: the page's own scripts cannot read it.
  expect(await page.evaluate<string>('document.cookie')).toBe('');
}

test.describe('launch address opened by the officer', () => {
  // The test's page opens the launch address itself, not the kit.
  test.use({ openSession: false });

  test('from the address bar: 303 to the console, cookie on its WebSocket, no secret in the address', async ({ page, keyward }) => {
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await page.goto(keyward.launchUrl);
    await expectConsoleServed(page, keyward);
    expect(sockets.every((url) => url === `${keyward.url.replace('http:', 'ws:')}rpc`)).toBe(true);
    await page.reload();
    await expect(page.getByTestId('setup-password')).toBeVisible();
  });

  test('from start.mjs’s launch page (file://, a cross-site initiator)', async ({ page, keyward }) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'keyward-ui-launchpage-'));
    try {
      await page.goto(pathToFileURL(writeLaunchPage(dir, keyward.launchUrl)).href);
      await page.waitForURL(keyward.url);
      await expectConsoleServed(page, keyward);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

test('a second browser gets neither a session from the used launch address nor a socket from the plain one', async ({ page, keyward, browser }) => {
  const other = await browser.newContext();
  try {
    const intruder = await other.newPage();
    const replay = await intruder.goto(keyward.launchUrl);
    expect(replay?.status()).toBe(403);
    await expect(intruder.locator('body')).toContainText('already used');

    await intruder.goto(keyward.url);
    await expect(intruder.getByRole('heading', { name: 'Cannot reach the Keyward core' }).first()).toBeVisible({ timeout: 30_000 });
    await expect(intruder.getByRole('alert')).toContainText('the one Keyward opened');
    expect(await other.cookies()).toEqual([]);
    await expect(intruder.getByTestId('setup-password')).toHaveCount(0);

    // The officer's session is untouched.
    await page.goto(keyward.url);
    await expect(page.getByTestId('setup-password')).toBeVisible();
  } finally {
    await other.close();
  }
});
