import { KeyDetailPage, KeysPage } from '../../testing';
import { expect, screen, test } from './fixtures';
import { consoleOpen } from './steps';

test('encrypts and decrypts text with an AES key', async ({ page }) => {
  await consoleOpen(page);
  await new KeysPage(page).createKey({ spec: 'Aliyun_AES_256' });
  const detail = new KeyDetailPage(page);
  await detail.openTab('crypto');
  const panel = detail.encryptPanel;

  const secret = 'Ceremony log entry 7: unlock vault B — ключ ✓';
  const blob = await panel.encrypt(secret, { purpose: 'ui-test', ceremony: '7' });
  await expect(panel.ciphertext).toHaveText(/^[A-Za-z0-9+/]{40,}={0,2}$/);
  expect(blob).not.toContain('Ceremony');

  await panel.decrypt();
  await expect(panel.decrypted).toHaveText(secret);
  await screen(page, '08-encrypt-decrypt');

  // A different context must not decrypt: the typed error is shown.
  await panel.setContext({ purpose: 'other' });
  await panel.decrypt();
  const notification = page.getByTestId('error-notification').first();
  await expect(notification).toBeVisible();
  await expect(notification).toHaveAttribute('data-code', 'InvalidCiphertext');
  await screen(page, '08b-decrypt-wrong-context');
});

test('signs a message with an EC key and verifies it', async ({ page }) => {
  await consoleOpen(page);
  await new KeysPage(page).createKey({ spec: 'EC_P256', usage: 'SIGN/VERIFY' });
  const detail = new KeyDetailPage(page);
  await detail.openTab('crypto');
  const panel = detail.signPanel;

  await panel.sign('Approve release 1.4.2');
  await expect(panel.signature).toHaveText(/^[A-Za-z0-9+/]{40,}={0,2}$/);

  await panel.verify();
  await expect(panel.verdict).toHaveAttribute('data-valid', 'true');
  await expect(panel.verdict).toContainText('Valid');
  await screen(page, '09-sign-verify-valid');

  // The same signature over another message is reported Invalid.
  await panel.message.fill('Approve release 1.4.3');
  await panel.verify();
  await expect(panel.verdict).toHaveAttribute('data-valid', 'false');
  await expect(panel.verdict).toContainText('Invalid');
});

test('signs with an RSA key using the chosen algorithm', async ({ page }) => {
  await consoleOpen(page);
  await new KeysPage(page).createKey({ spec: 'RSA_2048', usage: 'SIGN/VERIFY' });
  const detail = new KeyDetailPage(page);
  await detail.openTab('public-key');
  await expect(page.getByTestId('public-key-pem')).toContainText('-----BEGIN PUBLIC KEY-----');
  await detail.openTab('crypto');
  const panel = detail.signPanel;

  await panel.chooseAlgorithm('RSA_PKCS1_SHA_256');
  await panel.sign('Key ceremony minutes, page 3');
  // RSA-2048 signatures are 256 bytes: 344 base64 characters.
  await expect(panel.signature).toHaveText(/^[A-Za-z0-9+/]{342}==$/);
  await panel.verify();
  await expect(panel.verdict).toHaveAttribute('data-valid', 'true');

  // Verifying under the other padding fails cleanly as Invalid (or as a typed error, never silently).
  await panel.chooseAlgorithm('RSA_PSS_SHA_256');
  await panel.verify();
  await expect(panel.verdict).toHaveAttribute('data-valid', 'false');
  await screen(page, '09b-rsa-sign');
});
