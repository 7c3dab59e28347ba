import { expect, screen, test } from './fixtures';
import { createKey, firstRun, openKeyTab } from './steps';

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

  await page.getByTestId('audit-verify-button').click();
  const result = page.getByTestId('audit-verify-result');
  await expect(result).toHaveAttribute('data-valid', 'true');
  await expect(result).toContainText(/\d+ records, chain intact/);
  await screen(page, '10-audit-verified');
});
