import { KeyDetailPage, KeysPage } from '../../testing';
import { expect, screen, test } from './fixtures';
import { consoleOpen, visibleOptions } from './steps';

test('creates an AES-256 and an EC P-256 key and lists both', async ({ page }) => {
  await consoleOpen(page);
  const keys = new KeysPage(page);
  const detail = new KeyDetailPage(page);

  // Usage choices follow the spec.
  const dialog = await keys.openCreateDialog();
  await dialog.chooseSpec('EC_P256');
  await expect(dialog.usage).toContainText('SIGN/VERIFY');
  await dialog.usage.click();
  await expect(visibleOptions(page)).toHaveCount(1);
  await page.keyboard.press('Escape');
  // Seed 002's words: "Purpose", and an alias typed after a fixed alias/ prefix, judged by the contract's schema.
  await expect(dialog.root.getByText('Purpose', { exact: true })).toBeVisible();
  await expect(dialog.aliasPrefix).toHaveText('alias/');
  await dialog.alias.fill('has space');
  await expect(dialog.root).toContainText('Alias names use letters, digits, _ - and / after alias/.');
  await expect(dialog.submitButton).toBeDisabled();
  await dialog.alias.fill('ui/payments');
  await expect(dialog.submitButton).toBeEnabled();
  await screen(page, '04-create-key-dialog');
  await dialog.cancel();

  const aesId = await keys.createKey({ spec: 'Aliyun_AES_256', alias: 'ui/payments', store: 'Default key store' });
  await expect(detail.field('KeyUsage')).toHaveText('ENCRYPT/DECRYPT');
  await detail.openTab('aliases');
  await expect(page.getByTestId('key-aliases')).toContainText('alias/ui/payments');

  // A taken alias refuses the whole CreateKey: the dialog stays open and no second key appears.
  await keys.openCreateDialog();
  await dialog.alias.fill('ui/payments');
  await dialog.submit();
  await expect(page.getByTestId('error-notification')).toHaveAttribute('data-code', 'AlreadyExists.Alias');
  await expect(dialog.root).toBeVisible();
  await dialog.alias.fill('');
  await dialog.cancel();
  await expect(keys.count).toHaveText(/^\s*1 key(?!s)/);
  await screen(page, '05-key-detail-aes');

  const ecId = await keys.createKey({ spec: 'EC_P256', usage: 'SIGN/VERIFY' });
  await detail.openTab('public-key');
  await expect(page.getByTestId('public-key-pem')).toContainText('-----BEGIN PUBLIC KEY-----');
  const download = page.waitForEvent('download');
  await page.getByTestId('public-key-download').click();
  expect((await download).suggestedFilename()).toBe(`${ecId}.pem`);
  await screen(page, '06-key-detail-ec');

  await keys.open();
  await expect(keys.table.getByText(aesId)).toBeVisible();
  await expect(keys.table.getByText(ecId)).toBeVisible();
  await expect(keys.row(ecId)).toContainText('EC_P256');
  await expect(keys.count).toContainText('2 keys');
  await screen(page, '07-keys-list');

  // Filtering by spec is done by the host.
  await keys.filterBy('spec', 'EC_P256');
  await expect(keys.table.getByText(ecId)).toBeVisible();
  await expect(keys.table.getByText(aesId)).toHaveCount(0);
});
