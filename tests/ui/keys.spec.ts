import { expect, screen, test } from './fixtures';
import { choose, createKey, firstRun, openKeyTab, visibleOptions } from './steps';

test('creates an AES-256 and an EC P-256 key and lists both', async ({ page, host }) => {
  await firstRun(page, host);

  // Usage choices follow the spec.
  await page.getByTestId('create-key-button').click();
  await choose(page, 'create-key-spec', 'EC_P256');
  await expect(page.getByTestId('create-key-usage')).toContainText('SIGN/VERIFY');
  await page.getByTestId('create-key-usage').click();
  await expect(visibleOptions(page)).toHaveCount(1);
  await page.keyboard.press('Escape');
  // Seed 002's words: "Purpose", and an alias typed after a fixed alias/ prefix, judged by the contract's schema.
  const dialog = page.getByTestId('create-key-dialog');
  await expect(dialog.getByText('Purpose', { exact: true })).toBeVisible();
  await expect(page.getByTestId('create-key-alias-prefix')).toHaveText('alias/');
  await page.getByTestId('create-key-alias').fill('has space');
  await expect(dialog).toContainText('Alias names use letters, digits, _ - and / after alias/.');
  await expect(page.getByTestId('create-key-submit')).toBeDisabled();
  await page.getByTestId('create-key-alias').fill('ui/payments');
  await expect(page.getByTestId('create-key-submit')).toBeEnabled();
  await screen(page, '04-create-key-dialog');
  await page.keyboard.press('Escape');

  const aesId = await createKey(page, 'Aliyun_AES_256', undefined, { alias: 'ui/payments' });
  await expect(page.getByTestId('key-detail-metadata').locator('[data-field="KeyUsage"]')).toHaveText('ENCRYPT/DECRYPT');
  await openKeyTab(page, 'aliases');
  await expect(page.getByTestId('key-aliases')).toContainText('alias/ui/payments');

  // A taken alias refuses the whole CreateKey: the dialog stays open and no second key appears.
  await page.getByTestId('nav-keys').click();
  await page.getByTestId('create-key-button').click();
  await page.getByTestId('create-key-alias').fill('ui/payments');
  await page.getByTestId('create-key-submit').click();
  await expect(page.getByTestId('error-notification')).toHaveAttribute('data-code', 'AlreadyExists.Alias');
  await expect(page.getByTestId('create-key-dialog')).toBeVisible();
  await page.getByTestId('create-key-alias').fill('');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('keys-count')).toHaveText(/^\s*1 key(?!s)/);
  await screen(page, '05-key-detail-aes');

  const ecId = await createKey(page, 'EC_P256', 'SIGN/VERIFY');
  await openKeyTab(page, 'public-key');
  await expect(page.getByTestId('public-key-pem')).toContainText('-----BEGIN PUBLIC KEY-----');
  const download = page.waitForEvent('download');
  await page.getByTestId('public-key-download').click();
  expect((await download).suggestedFilename()).toBe(`${ecId}.pem`);
  await screen(page, '06-key-detail-ec');

  await page.getByTestId('nav-keys').click();
  const table = page.getByTestId('keys-table');
  await expect(table.getByText(aesId)).toBeVisible();
  await expect(table.getByText(ecId)).toBeVisible();
  await expect(table.getByTestId('key-row').filter({ hasText: ecId })).toContainText('EC_P256');
  await expect(page.getByTestId('keys-count')).toContainText('2 keys');
  await screen(page, '07-keys-list');

  // Filtering by spec is done by the host.
  await choose(page, 'keys-filter-spec', 'EC_P256');
  await expect(table.getByText(ecId)).toBeVisible();
  await expect(table.getByText(aesId)).toHaveCount(0);
});
