import { expect, screen, test } from './fixtures';
import { choose, createKey, firstRun, openKeyTab } from './steps';

test('the audit log lists the operations and its chain verifies', async ({ page, host }) => {
  await firstRun(page, host);
  const keyId = await createKey(page, 'Aliyun_AES_256');
  await openKeyTab(page, 'crypto');
  await page.getByTestId('encrypt-plaintext').fill('audit me');
  await page.getByTestId('encrypt-button').click();
  await expect(page.getByTestId('ciphertext-output')).toBeVisible();

  await page.getByTestId('nav-audit').click();
  const table = page.getByTestId('audit-table');
  await expect(table.getByTestId('audit-operation').filter({ hasText: /^InitializeDefaultKeyStore$/ })).toHaveCount(1);
  await expect(table.getByTestId('audit-operation').filter({ hasText: /^CreateKey$/ })).toHaveCount(1);
  await expect(table.locator('.n-data-table-tr').filter({ hasText: 'CreateKey' })).toContainText(keyId);

  // The HSM anchor follows the log about a second after the last change: verify until it has caught up.
  const result = page.getByTestId('audit-verify-result');
  await expect(async () => {
    await page.getByTestId('audit-verify-button').click();
    await expect(page.getByTestId('audit-anchor-state')).toHaveText(/^Anchored in the HSM up to record \d+ \(.+ UTC\)\.$/, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(result).toHaveAttribute('data-valid', 'true');
  await expect(result).toHaveAttribute('data-anchor-checked', 'true');
  await expect(result).toContainText(/\d+ records, chain intact/);
  await expect(page.getByTestId('audit-checkpoint')).toContainText(/^Sequence \d+\nHash [0-9a-f]{64}$/);
  await screen(page, '10-audit-verified');
});

test('audit filters narrow the log and live in the address', async ({ page, host }) => {
  await firstRun(page, host);
  const keyId = await createKey(page, 'Aliyun_AES_256');
  await createKey(page, 'Aliyun_AES_256');

  await page.getByTestId('nav-audit').click();
  const operations = page.getByTestId('audit-table').getByTestId('audit-operation');
  await expect(operations.filter({ hasText: /^CreateKey$/ })).toHaveCount(2);

  await choose(page, 'audit-filter-operation', 'CreateKey');
  await page.keyboard.press('Escape');
  await page.getByTestId('audit-filter-resource').fill(keyId);
  await expect(page).toHaveURL(new RegExp(`operation=CreateKey.*resource=${keyId}`));
  await expect(operations).toHaveCount(1);
  await expect(page.getByTestId('audit-table').locator('.n-data-table-tr').filter({ hasText: 'CreateKey' })).toContainText(keyId);
  await screen(page, '11-audit-filtered');

  // A reload (or a shared link) shows the same filtered view, its fields filled in.
  await page.reload();
  await expect(operations).toHaveCount(1);
  await expect(page.getByTestId('audit-filter-resource')).toHaveValue(keyId);
  await expect(page.getByTestId('audit-filter-operation')).toContainText('CreateKey');

  await choose(page, 'audit-filter-outcome', 'FAILURE');
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/outcome=FAILURE/);
  await expect(page.getByTestId('audit-table')).toContainText('No audit events match these filters.');

  await page.getByTestId('audit-filter-clear').click();
  await expect(page).not.toHaveURL(/operation=|resource=|outcome=/);
  await expect(operations.filter({ hasText: /^CreateKey$/ })).toHaveCount(2);
});

test.describe('in a browser east of UTC', () => {
  // The picker must show and read UTC even where the browser's own clock says otherwise.
  test.use({ timezoneId: 'Asia/Kolkata' });

  test('a UTC time range narrows the log, lives in the address and shows in the picker as UTC', async ({ page, host }) => {
    await firstRun(page, host);
    const utc = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const from = utc(Date.now() - 3_600_000);
    const to = utc(Date.now() + 3_600_000);
    await page.getByTestId('nav-audit').click();
    await expect(page).toHaveURL(/#\/audit$/);
    const audit = page.url();
    // A shared link, opened afresh (the bar takes its fields from the address when the page loads).
    await page.goto(`${audit}?from=${from}&to=${to}`);
    await page.reload();

    const operations = page.getByTestId('audit-table').getByTestId('audit-operation');
    await expect(operations.filter({ hasText: /^InitializeDefaultKeyStore$/ })).toHaveCount(1);
    const ends = page.getByTestId('audit-filter-time').locator('input');
    await expect(ends.nth(0)).toHaveValue(from.replace('T', ' ').replace('Z', ''));
    await expect(ends.nth(1)).toHaveValue(to.replace('T', ' ').replace('Z', ''));
    await page.screenshot({ path: '/tmp/kw/shots/p16d-audit-range.png' });

    // A range before any of this log: nothing matches.
    await page.goto(`${audit}?from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z`);
    await page.reload();
    await expect(page.getByTestId('audit-table')).toContainText('No audit events match these filters.');
    await expect(ends.nth(0)).toHaveValue('2001-01-01 00:00:00');

    await page.getByTestId('audit-filter-clear').click();
    await expect(page).not.toHaveURL(/from=|to=/);
    await expect(operations.filter({ hasText: /^InitializeDefaultKeyStore$/ })).toHaveCount(1);
  });
});
