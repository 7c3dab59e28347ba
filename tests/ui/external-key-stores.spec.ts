import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, screen, test } from './fixtures';
import { SCREENS_DIR } from './paths';
import { choose, consoleOpen, openKeyTab } from './steps';

/** Where the brief's reviewers look at the screenshots, besides test-results/screens. */
const SHOTS_DIR = '/tmp/kw/shots';
const STORE = 'ext-self';
/** Base64, 43 characters: the contract's shape of a secret access key, but not the proxy's. */
const WRONG_SECRET = 'A'.repeat(43);

async function shot(page: Page, name: string): Promise<void> {
  await screen(page, name);
  await mkdir(SHOTS_DIR, { recursive: true });
  await copyFile(path.join(SCREENS_DIR, `${name}.png`), path.join(SHOTS_DIR, `${name}.png`));
}

function storeRow(page: Page) {
  return page.getByTestId('keystores-table').locator('tr', { hasText: STORE });
}

/**
 * One browser host is its own XKS proxy: its application endpoint serves its default key store under
 * /self, and the external key store the officer creates in the console calls it over TLS.
 */
test('an officer creates an external key store, connects it, uses a key in it, and sees the proxy fail', async ({ page, kms }) => {
  test.setTimeout(300_000);
  await consoleOpen(page);
  const target = (await kms.call('CreateKey', { Alias: 'alias/ext-target' })).KeyMetadata.KeyId;
  const credential = await kms.call('CreateXksProxy', { Name: 'self', UriPath: '/self', KeyStoreId: 'kst-default' });
  const { Port: port } = await kms.call('StartApplicationEndpoint', { Address: '127.0.0.1', Port: 0 });
  const { CaCertificate: caPem } = await kms.call('GetInstanceCaCertificate', {});

  // The dialog judges each field as CreateKeyStore does.
  await page.getByTestId('nav-keystores').click();
  await page.getByTestId('keystores-create-external').click();
  const dialog = page.getByTestId('create-xks-store-dialog');
  await expect(dialog.getByTestId('xks-store-connectivity')).toHaveText('PUBLIC_ENDPOINT');
  await page.getByTestId('xks-store-name').fill(STORE);
  await page.getByTestId('xks-store-endpoint').fill(`https://127.0.0.1:${port}/self`);
  await expect(dialog).toContainText('The URI endpoint must be https://host or https://host:port, with no path.');
  await page.getByTestId('xks-store-endpoint').fill(`https://127.0.0.1:${port}`);
  await page.getByTestId('xks-store-uri-path').fill('/self');
  await expect(dialog).toContainText('The URI path must end with /kms/xks/v1');
  await page.getByTestId('xks-store-uri-path').fill('/self/kms/xks/v1');
  await page.getByTestId('xks-store-access-key-id').fill('lowercase-id');
  await expect(dialog).toContainText('The access key id must be 20-30 characters of A-Z and 2-7.');
  await page.getByTestId('xks-store-access-key-id').fill(credential.AccessKeyId);
  await page.getByTestId('xks-store-secret').fill('short');
  await expect(dialog).toContainText('The secret access key must be 43-64 characters');
  await expect(page.getByTestId('create-xks-store-submit')).toBeDisabled();
  await page.getByTestId('xks-store-secret').fill(credential.SecretAccessKey);
  await expect(page.getByTestId('xks-store-secret')).toHaveAttribute('type', 'password');
  await page.getByTestId('xks-store-ca-certificate').fill(caPem);
  await expect(page.getByTestId('create-xks-store-submit')).toBeEnabled();
  await shot(page, 'ext-create-dialog');
  await page.getByTestId('create-xks-store-submit').click();
  await expect(dialog).toBeHidden();

  // Listed as External with its proxy, disconnected and not checked yet; Connect asks for no password.
  await expect(storeRow(page).getByTestId('keystore-type')).toHaveText('EXTERNAL_KEY_STORE');
  await expect(storeRow(page).getByTestId('keystore-proxy-uri')).toHaveText(`https://127.0.0.1:${port}/self/kms/xks/v1`);
  await expect(storeRow(page).getByTestId('keystore-health')).toHaveText('not checked yet');
  await storeRow(page).getByRole('button', { name: `Connect ${STORE}` }).click();
  await expect(page.getByTestId('connect-dialog')).toHaveCount(0);
  await expect(storeRow(page)).toContainText('CONNECTED', { timeout: 30_000 });
  await expect(storeRow(page).getByTestId('keystore-health')).toContainText('Answered');
  await expect(storeRow(page).getByTestId('keystore-health-vendor')).toHaveText('Vendor: Keyward');
  await expect(page.locator('body')).not.toContainText(credential.SecretAccessKey);
  await shot(page, 'ext-keystores-list');

  // Its page: the proxy with the access key id only, the health, no editing while connected.
  await storeRow(page).getByTestId('keystore-link').click();
  await expect(page.getByTestId('keystore-state')).toHaveText('CONNECTED');
  await expect(page.getByTestId('keystore-xks-endpoint')).toHaveText(`https://127.0.0.1:${port}`);
  await expect(page.getByTestId('keystore-xks-uri-path')).toHaveText('/self/kms/xks/v1');
  await expect(page.getByTestId('keystore-xks-access-key-id')).toHaveText(credential.AccessKeyId);
  await expect(page.getByTestId('keystore-xks-ca')).toContainText('the CA certificate given with the store');
  await expect(page.getByTestId('keystore-xks-health-ok')).toBeVisible();
  await expect(page.getByTestId('keystore-xks-vendor')).toHaveText('Keyward');
  await expect(page.getByTestId('keystore-xks-edit')).toBeDisabled();
  await expect(page.getByTestId('keystore-xks-edit-note')).toContainText('disconnect it first');
  await expect(page.locator('body')).not.toContainText(credential.SecretAccessKey);
  await shot(page, 'ext-keystore-detail');

  // A key in it: AES-256 at the proxy only, its id there required, no origin or rotation choice.
  await page.getByTestId('nav-keys').click();
  await page.getByTestId('create-key-button').click();
  await choose(page, 'create-key-store', `${STORE} (external, XKS proxy, HSM)`);
  await expect(page.getByTestId('create-key-origin-fixed')).toHaveText('EXTERNAL_KEY_STORE');
  await expect(page.getByTestId('create-key-origin')).toHaveCount(0);
  await expect(page.getByTestId('create-key-rotate')).toHaveCount(0);
  await page.getByTestId('create-key-spec').click();
  await expect(page.locator('.n-base-select-menu:visible .n-base-select-option:not(.n-base-select-option--disabled)')).toHaveText(['Aliyun_AES_256']);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('create-key-submit')).toBeDisabled();
  await page.getByTestId('create-key-xks-key-id').fill('alias/ext-target');
  await expect(page.getByTestId('create-key-dialog')).toContainText('The external key id must be 1-128 characters');
  await page.getByTestId('create-key-xks-key-id').fill(target);
  await page.getByTestId('create-key-description').fill('Held at the XKS proxy');
  await shot(page, 'ext-create-key-dialog');
  await page.getByTestId('create-key-submit').click();
  const metadata = page.getByTestId('key-detail-metadata');
  await expect(metadata).toBeVisible({ timeout: 60_000 });
  await expect(metadata.locator('[data-field="Origin"]')).toHaveText('EXTERNAL_KEY_STORE');
  await expect(page.getByTestId('key-detail-xks-key-id')).toHaveText(target);

  // Encrypt and decrypt through both layers.
  await openKeyTab(page, 'crypto');
  await page.getByTestId('encrypt-plaintext').fill('wire transfer 4711');
  await page.getByTestId('encrypt-button').click();
  await expect(page.getByTestId('ciphertext-output')).toHaveText(/^[A-Za-z0-9+/]{40,}={0,2}$/);
  await page.getByTestId('decrypt-button').click();
  await expect(page.getByTestId('decrypt-output')).toHaveText('wire transfer 4711');

  // The proxy goes away: the decryption fails with the typed error, the store's health says so.
  await kms.call('StopApplicationEndpoint', {});
  await page.getByTestId('decrypt-button').click();
  const notification = page.getByTestId('error-notification').first();
  await expect(notification).toBeVisible({ timeout: 30_000 });
  await expect(notification).toHaveAttribute('data-code', 'XksProxy.Unreachable');
  await page.getByTestId('nav-keystores').click();
  await expect(storeRow(page).getByTestId('keystore-health-error')).toHaveText('XksProxy.Unreachable');
  await storeRow(page).getByTestId('keystore-link').click();
  await expect(page.getByTestId('keystore-xks-health-error')).toHaveText('XksProxy.Unreachable');

  // Reconnecting: FAILED with XKS_PROXY_NOT_REACHABLE and what to check.
  await page.getByTestId('keystore-disconnect').click();
  await page.locator('.n-dialog').getByRole('button', { name: 'Disconnect', exact: true }).click();
  await expect(page.getByTestId('keystore-state')).toHaveText('DISCONNECTED');
  await expect(page.getByTestId('keystore-xks-edit')).toBeEnabled();
  await page.getByTestId('keystore-connect').click();
  await expect(page.getByTestId('keystore-state')).toHaveText('FAILED', { timeout: 30_000 });
  await expect(page.getByTestId('keystore-error-code')).toHaveText('XKS_PROXY_NOT_REACHABLE');
  await expect(page.getByTestId('keystore-error-text')).toContainText('The XKS proxy could not be reached');
  await shot(page, 'ext-keystore-not-reachable');
  await page.getByTestId('nav-keystores').click();
  await expect(storeRow(page)).toContainText('FAILED');
  await expect(storeRow(page).getByTestId('keystore-row-error')).toHaveText('XKS_PROXY_NOT_REACHABLE');
  await shot(page, 'ext-keystores-list-failed');
  await storeRow(page).getByTestId('keystore-link').click();

  // Back on the same port, but signing with a wrong secret: FAILED with XKS_PROXY_ACCESS_DENIED.
  await kms.call('StartApplicationEndpoint', { Address: '127.0.0.1', Port: port });
  await page.getByTestId('keystore-xks-edit').click();
  const edit = page.getByTestId('edit-xks-proxy-dialog');
  await expect(page.getByTestId('edit-xks-endpoint')).toHaveValue(`https://127.0.0.1:${port}`);
  await expect(page.getByTestId('edit-xks-access-key-id')).toHaveValue(credential.AccessKeyId);
  await expect(page.getByTestId('edit-xks-secret')).toHaveValue('');
  await expect(page.getByTestId('edit-xks-proxy-submit')).toBeDisabled();
  await page.getByTestId('edit-xks-secret').fill(WRONG_SECRET);
  await page.getByTestId('edit-xks-proxy-submit').click();
  await expect(edit).toBeHidden();
  await page.getByTestId('keystore-connect').click();
  await expect(page.getByTestId('keystore-error-code')).toHaveText('XKS_PROXY_ACCESS_DENIED', { timeout: 30_000 });
  await expect(page.getByTestId('keystore-state')).toHaveText('FAILED');
  await expect(page.getByTestId('keystore-error-text')).toContainText('The XKS proxy refused the credential');
  await shot(page, 'ext-keystore-access-denied');

  // The right secret again: connected.
  await page.getByTestId('keystore-xks-edit').click();
  await page.getByTestId('edit-xks-secret').fill(credential.SecretAccessKey);
  await page.getByTestId('edit-xks-proxy-submit').click();
  await expect(edit).toBeHidden();
  await page.getByTestId('keystore-connect').click();
  await expect(page.getByTestId('keystore-state')).toHaveText('CONNECTED', { timeout: 30_000 });
  await expect(page.getByTestId('keystore-error-code')).toHaveCount(0);
});
