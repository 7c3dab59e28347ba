import { expect, KeyDetailPage, KeysPage, test, UnlockPage } from 'keyward/testing';
import { shot } from './shots';

const OFFICER_PASSWORD = 'Dry-run-ceremony-01';

// The procedure starts on a new workstation: the officer sets the password in the console.
test.use({ initialize: false, password: OFFICER_PASSWORD });

test('first start: set the password, then create an AES key', async ({ page, kms }) => {
  await new UnlockPage(page).setUp(OFFICER_PASSWORD);

  const dialog = await new KeysPage(page).openCreateDialog();
  await dialog.fill({ spec: 'Aliyun_AES_256', description: 'Payment HSM master key (dry run)', alias: 'payments-master' });
  await shot(page, 'create-key-dialog');
  await dialog.submit();

  const key = new KeyDetailPage(page);
  await expect(key.field('KeySpec')).toHaveText('Aliyun_AES_256');
  const keyId = await key.keyId();
  await shot(page, 'key-created');

  // What the console shows is what the core holds.
  const { KeyMetadata } = await kms.call('DescribeKey', { KeyId: 'alias/payments-master' });
  expect(KeyMetadata.KeyId).toBe(keyId);
  expect(KeyMetadata.Description).toBe('Payment HSM master key (dry run)');
});
