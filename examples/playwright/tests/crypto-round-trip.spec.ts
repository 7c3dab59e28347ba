import { expect, test } from 'keyward/testing';
import { shot } from './shots';

test('an encrypt/decrypt round trip in the console, checked through the kms client', async ({ page, kms }) => {
  // Arrange fast through the API: the procedure under test starts at the key's crypto panel.
  const { KeyMetadata } = await kms.call('CreateKey', { KeySpec: 'Aliyun_AES_256', Description: 'Round trip (dry run)' });
  await page.goto(`${new URL(page.url()).origin}/#/keys/${KeyMetadata.KeyId}`);
  await page.getByTestId('key-tab-crypto').click();

  const minutes = 'Ceremony minutes, page 3: vault B opened by two officers';
  await page.getByTestId('encryption-context').fill('ceremony=2026-12\nstep=3');
  await page.getByTestId('encrypt-plaintext').fill(minutes);
  await page.getByTestId('encrypt-button').click();
  const blob = page.getByTestId('ciphertext-output');
  await expect(blob).toHaveText(/^[A-Za-z0-9+/]{40,}={0,2}$/);
  await page.getByTestId('decrypt-button').click();
  await expect(page.getByTestId('decrypt-output')).toHaveText(minutes);
  await shot(page, 'round-trip');

  // The blob the console shows is a real ciphertext of that key, bound to that context.

  const decrypted = await kms.call('Decrypt', {
    CiphertextBlob: (await blob.textContent()) ?? '',
    EncryptionContext: { ceremony: '2026-12', step: '3' },
  });
  expect(decrypted.KeyId).toBe(KeyMetadata.KeyId);
  expect(Buffer.from(decrypted.Plaintext, 'base64').toString('utf8')).toBe(minutes);

  // The binding holds: another context is refused by the core.
  await expect(kms.call('Decrypt', { CiphertextBlob: (await blob.textContent()) ?? '', EncryptionContext: { ceremony: 'other' } })).rejects.toMatchObject({
    code: 'InvalidCiphertext',
  });
});
