import path from 'node:path';
import { openRegistry } from '../../electron/main/registry';
import { seededKeyRow } from '../support/key-rows';
import { expect, screen, test } from './fixtures';
import { choose, consoleOpen } from './steps';

const KEYS = 100_000;

/**
 * Test-only seeding: 100k key records written straight into the registry of the running host (a
 * second SQLite connection, WAL). They have no material; the Keys page only lists them.
 */
function seedKeys(dataDir: string, keyStoreId: string): void {
  const registry = openRegistry({ file: path.join(dataDir, 'registry.sqlite') });
  try {
    registry.transaction(() => {
      for (let index = 0; index < KEYS; index++) {
        registry.keys.insert(
          seededKeyRow(index, Date.UTC(2026, 0, 1), { keyStoreId, keyState: index % 7 === 3 ? 'Disabled' : 'Enabled', creator: 'seed' }),
        );
      }
    });
  } finally {
    registry.close();
  }
}

test('the keys table scrolls, filters and searches 100,000 keys with a bounded DOM', async ({ page, keyward }) => {
  test.setTimeout(240_000);
  await consoleOpen(page);
  await page.getByTestId('nav-keystores').click();
  const defaultId = ((await page.getByTestId('keystores-table').locator('.mono.small').first().textContent()) ?? '').trim();
  expect(defaultId).not.toBe('');
  seedKeys(keyward.dataDir, defaultId);

  await page.getByTestId('nav-keys').click();
  await expect(page.getByTestId('keys-count')).toContainText('100,000 keys');
  const rows = page.getByTestId('key-row');
  await expect(rows.first()).toBeVisible();
  expect(await page.locator('[data-testid="keys-table"] [role="row"]').count()).toBeLessThan(80);

  // Jump to the end: only the last page is fetched and rendered.
  const scroller = page.getByTestId('keys-scroller');
  let started = Date.now();
  await scroller.evaluate((element) => (element.scrollTop = element.scrollHeight));
  await expect(page.locator('[data-testid="key-row"][aria-rowindex="100001"]')).toBeVisible();
  const bottomMs = Date.now() - started;
  expect(bottomMs).toBeLessThan(5_000);
  expect(await page.locator('[data-testid="keys-table"] [role="row"]').count()).toBeLessThan(80);
  await screen(page, '60-keys-100k-bottom');

  // The middle, by dragging the scroll position in steps (a fling): the table settles on the last one.
  for (const fraction of [0.2, 0.35, 0.5]) {
    await scroller.evaluate((element, f) => (element.scrollTop = element.scrollHeight * f), fraction);
    await page.waitForTimeout(30);
  }
  await expect(page.locator('[data-testid="key-row"][aria-rowindex="50002"]')).toBeVisible();

  started = Date.now();
  await page.getByTestId('keys-search').fill('key 77777 of application');
  await expect(page.getByTestId('keys-count')).toContainText(/^\s*1 key/);
  const searchMs = Date.now() - started;
  expect(searchMs).toBeLessThan(5_000);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('EC_P256K');
  await screen(page, '61-keys-100k-search');

  await page.getByTestId('keys-filter-clear').click();
  await choose(page, 'keys-filter-state', 'Disabled');
  await expect(page.getByTestId('keys-count')).toContainText('14,286 keys');
  await choose(page, 'keys-filter-spec', 'EC_P256');
  await expect(page.getByTestId('keys-count')).toContainText('1,428 keys');
  await page.keyboard.press('Escape');
  await screen(page, '62-keys-100k-filtered');
  test.info().annotations.push({ type: 'timing', description: `bottom of 100k: ${bottomMs} ms, text search: ${searchMs} ms` });
});
