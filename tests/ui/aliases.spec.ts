import { expect, screen, test } from './fixtures';
import { createTextSecret } from './secret-steps';
import { consoleOpen, createKey, visibleOptions } from './steps';

test('the aliases view lists every alias, points one at another key and deletes one', async ({ page }) => {
  await consoleOpen(page);
  const first = await createKey(page, 'Aliyun_AES_256', undefined, { alias: 'app' });
  const second = await createKey(page, 'Aliyun_AES_256', undefined, { alias: 'spare', description: 'Target key' });
  // The first secret without a key makes Keyward's own alias/keyward/secrets-default.
  await createTextSecret(page, 'ui/alias-view', 'value');

  await page.getByTestId('nav-aliases').click();
  const row = (alias: string) => page.getByTestId('aliases-table').locator('.n-data-table-tr').filter({ hasText: alias });
  await expect(row('alias/app').getByTestId('alias-row-key')).toHaveText(first);
  await expect(row('alias/spare').getByTestId('alias-row-key')).toHaveText(second);
  const reserved = row('alias/keyward/secrets-default');
  await expect(reserved.getByTestId('alias-reserved')).toBeVisible();
  await expect(reserved.getByTestId('alias-update')).toHaveCount(0);
  await expect(reserved.getByTestId('alias-delete')).toHaveCount(0);
  await screen(page, '40-aliases');

  await row('alias/app').getByTestId('alias-update').click();
  const dialog = page.getByTestId('alias-update-dialog');
  await expect(dialog.getByTestId('alias-update-confirm')).toBeDisabled();
  await dialog.getByTestId('alias-update-key').click();
  await page.keyboard.type('Target');
  // The search is ListKeys' text search: only the matching key, and never the alias's current one.
  await expect(visibleOptions(page)).toHaveCount(1);
  await expect(visibleOptions(page)).toContainText(second);
  await screen(page, '41-alias-update');
  await visibleOptions(page).first().click();
  await dialog.getByTestId('alias-update-confirm').click();
  await expect(dialog).toBeHidden();
  await expect(row('alias/app').getByTestId('alias-row-key')).toHaveText(second);

  // The key's own page agrees: the alias now names the second key.
  await row('alias/app').getByTestId('alias-row-key').click();
  await expect(page.getByTestId('key-detail-metadata').locator('[data-field="KeyId"]')).toHaveText(second);

  await page.getByTestId('nav-aliases').click();
  await row('alias/spare').getByTestId('alias-delete').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete alias/spare' }).click();
  await expect(row('alias/spare')).toHaveCount(0);
  await expect(row('alias/app')).toHaveCount(1);
});
