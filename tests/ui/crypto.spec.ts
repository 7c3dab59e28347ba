import { expect, screen, test } from './fixtures';
import { choose, createKey, firstRun, openKeyTab } from './steps';

test('encrypts and decrypts text with an AES key', async ({ page, host }) => {
  await firstRun(page, host);
  await createKey(page, 'Aliyun_AES_256');
  await openKeyTab(page, 'crypto');

  const secret = 'Ceremony log entry 7: unlock vault B — ключ ✓';
  await page.getByTestId('encryption-context').fill('purpose=ui-test\nceremony=7');
  await page.getByTestId('encrypt-plaintext').fill(secret);
  await page.getByTestId('encrypt-button').click();
  const blob = page.getByTestId('ciphertext-output');
  await expect(blob).toHaveText(/^[A-Za-z0-9+/]{40,}={0,2}$/);
  expect(await blob.textContent()).not.toContain('Ceremony');

  await page.getByTestId('decrypt-button').click();
  await expect(page.getByTestId('decrypt-output')).toHaveText(secret);
  await screen(page, '08-encrypt-decrypt');

  // A different context must not decrypt: the typed error is shown.
  await page.getByTestId('encryption-context').fill('purpose=other');
  await page.getByTestId('decrypt-button').click();
  const notification = page.getByTestId('error-notification').first();
  await expect(notification).toBeVisible();
  await expect(notification).toHaveAttribute('data-code', 'InvalidCiphertext');
  await screen(page, '08b-decrypt-wrong-context');
});

test('signs a message with an EC key and verifies it', async ({ page, host }) => {
  await firstRun(page, host);
  await createKey(page, 'EC_P256', 'SIGN/VERIFY');
  await openKeyTab(page, 'crypto');

  await page.getByTestId('sign-message').fill('Approve release 1.4.2');
  await page.getByTestId('sign-button').click();
  await expect(page.getByTestId('signature-output')).toHaveText(/^[A-Za-z0-9+/]{40,}={0,2}$/);

  await page.getByTestId('verify-button').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-valid', 'true');
  await expect(page.getByTestId('verify-result')).toContainText('Valid');
  await screen(page, '09-sign-verify-valid');

  // The same signature over another message is reported Invalid.
  await page.getByTestId('sign-message').fill('Approve release 1.4.3');
  await page.getByTestId('verify-button').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-valid', 'false');
  await expect(page.getByTestId('verify-result')).toContainText('Invalid');
});

test('signs with an RSA key using the chosen algorithm', async ({ page, host }) => {
  await firstRun(page, host);
  await createKey(page, 'RSA_2048', 'SIGN/VERIFY');
  await openKeyTab(page, 'public-key');
  await expect(page.getByTestId('public-key-pem')).toContainText('-----BEGIN PUBLIC KEY-----');
  await openKeyTab(page, 'crypto');

  await choose(page, 'sign-algorithm', 'RSA_PKCS1_SHA_256');
  await page.getByTestId('sign-message').fill('Key ceremony minutes, page 3');
  await page.getByTestId('sign-button').click();
  // RSA-2048 signatures are 256 bytes: 344 base64 characters.
  await expect(page.getByTestId('signature-output')).toHaveText(/^[A-Za-z0-9+/]{342}==$/);
  await page.getByTestId('verify-button').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-valid', 'true');

  // Verifying under the other padding fails cleanly as Invalid (or as a typed error, never silently).
  await choose(page, 'sign-algorithm', 'RSA_PSS_SHA_256');
  await page.getByTestId('verify-button').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-valid', 'false');
  await screen(page, '09b-rsa-sign');
});
