import { expect, KeyDetailPage, test } from 'keyward/testing';
import { shot } from './shots';

test('an encrypt/decrypt round trip in the console, checked through the kms client', async ({ page, kms }) => {
  // Arrange fast through the API: the procedure under test starts at the key's crypto panel.
  const { KeyMetadata } = await kms.call('CreateKey', { KeySpec: 'Aliyun_AES_256', Description: 'Round trip (dry run)' });
  const key = new KeyDetailPage(page);
  await key.goto(KeyMetadata.KeyId, 'crypto');

  const minutes = 'Ceremony minutes, page 3: vault B opened by two officers';
  // Encrypts, decrypts and expects the minutes back.
  const blob = await key.encryptPanel.roundTrip(minutes, { ceremony: '2026-12', step: '3' });
  await shot(page, 'round-trip');

  // The blob the console shows is a real ciphertext of that key, bound to that context.
  const decrypted = await kms.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { ceremony: '2026-12', step: '3' } });
  expect(decrypted.KeyId).toBe(KeyMetadata.KeyId);
  expect(Buffer.from(decrypted.Plaintext, 'base64').toString('utf8')).toBe(minutes);

  // The binding holds: another context is refused by the core.
  await expect(kms.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { ceremony: 'other' } })).rejects.toMatchObject({
    code: 'InvalidCiphertext',
  });
});
