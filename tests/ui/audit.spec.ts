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
