import { choose, expect, test } from 'keyward/testing';
import { shot } from './shots';

const OFFICER_PASSWORD = 'Dry-run-ceremony-01';

// The procedure starts on a new workstation: the officer sets the password in the console.
test.use({ initialize: false, password: OFFICER_PASSWORD });

test('first start: set the password, then create an AES key', async ({ page, kms }) => {
  await page.getByTestId('setup-password').fill(OFFICER_PASSWORD);
  await page.getByTestId('setup-password-confirm').fill(OFFICER_PASSWORD);
  await page.getByTestId('setup-submit').click();
  await expect(page.getByTestId('default-store-state')).toHaveText('CONNECTED');

  await page.getByTestId('create-key-button').click();
  await choose(page, 'create-key-spec', 'Aliyun_AES_256');
  await page.getByTestId('create-key-description').fill('Payment HSM master key (dry run)');
  await page.getByTestId('create-key-alias').fill('payments-master');
  await shot(page, 'create-key-dialog');
  await page.getByTestId('create-key-submit').click();

  const metadata = page.getByTestId('key-detail-metadata');
  await expect(metadata.locator('[data-field="KeySpec"]')).toHaveText('Aliyun_AES_256');
  const keyId = (await metadata.locator('[data-field="KeyId"]').textContent())?.trim() ?? '';
  await shot(page, 'key-created');

  // What the console shows is what the core holds.
  const { KeyMetadata } = await kms.call('DescribeKey', { KeyId: 'alias/payments-master' });
  expect(KeyMetadata.KeyId).toBe(keyId);
  expect(KeyMetadata.Description).toBe('Payment HSM master key (dry run)');
});
