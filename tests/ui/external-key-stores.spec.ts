import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ExternalKeyStoresPage, KeyDetailPage, KeysPage } from '../../testing';
import { expect, screen, test } from './fixtures';
import { SCREENS_DIR } from './paths';
import { consoleOpen } from './steps';

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
  const stores = new ExternalKeyStoresPage(page);
  await stores.open();
  const dialog = await stores.openCreateDialog();
  await expect(dialog.connectivity).toHaveText('PUBLIC_ENDPOINT');
  await dialog.name.fill(STORE);
  await dialog.endpoint.fill(`https://127.0.0.1:${port}/self`);
  await expect(dialog.root).toContainText('The URI endpoint must be https://host or https://host:port, with no path.');
  await dialog.endpoint.fill(`https://127.0.0.1:${port}`);
  await dialog.uriPath.fill('/self');
  await expect(dialog.root).toContainText('The URI path must end with /kms/xks/v1');
  await dialog.uriPath.fill('/self/kms/xks/v1');
  await dialog.accessKeyId.fill('lowercase-id');
  await expect(dialog.root).toContainText('The access key id must be 20-30 characters of A-Z and 2-7.');
  await dialog.accessKeyId.fill(credential.AccessKeyId);
  await dialog.secret.fill('short');
  await expect(dialog.root).toContainText('The secret access key must be 43-64 characters');
  await expect(dialog.submitButton).toBeDisabled();
  await dialog.fill(STORE, {
    endpoint: `https://127.0.0.1:${port}`,
    uriPath: '/self/kms/xks/v1',
    accessKeyId: credential.AccessKeyId,
    secretAccessKey: credential.SecretAccessKey,
    caCertificate: caPem,
  });
  await expect(dialog.secret).toHaveAttribute('type', 'password');
  await expect(dialog.submitButton).toBeEnabled();
  await shot(page, 'ext-create-dialog');
  await dialog.submit();
  await expect(dialog.root).toBeHidden();

  // Listed as External with its proxy, disconnected and not checked yet; Connect asks for no password.
  const row = stores.externalRow(STORE);
  await expect(row.type).toHaveText('EXTERNAL_KEY_STORE');
  await expect(row.proxyUri).toHaveText(`https://127.0.0.1:${port}/self/kms/xks/v1`);
  await expect(row.health).toHaveText('not checked yet');
  await stores.connect(STORE);
  await expect(page.getByTestId('connect-dialog')).toHaveCount(0);
  await expect(row.root).toContainText('CONNECTED', { timeout: 30_000 });
  await expect(row.health).toContainText('Answered');
  await expect(row.healthVendor).toHaveText('Vendor: Keyward');
  await expect(page.locator('body')).not.toContainText(credential.SecretAccessKey);
  await shot(page, 'ext-keystores-list');

  // Its page: the proxy with the access key id only, the health, no editing while connected.
  const store = await stores.openExternalStore(STORE);
  await expect(store.state).toHaveText('CONNECTED');
  await expect(store.endpoint).toHaveText(`https://127.0.0.1:${port}`);
  await expect(store.uriPath).toHaveText('/self/kms/xks/v1');
  await expect(store.accessKeyId).toHaveText(credential.AccessKeyId);
  await expect(store.ca).toContainText('the CA certificate given with the store');
  await expect(store.healthOk).toBeVisible();
  await expect(store.vendor).toHaveText('Keyward');
  await expect(store.editButton).toBeDisabled();
  await expect(store.editNote).toContainText('disconnect it first');
  await expect(page.locator('body')).not.toContainText(credential.SecretAccessKey);
  await shot(page, 'ext-keystore-detail');

  // A key in it: AES-256 at the proxy only, its id there required, no origin or rotation choice.
  const createKey = await new KeysPage(page).openCreateDialog();
  await createKey.chooseStore(STORE);
  await expect(createKey.store).toContainText(`${STORE} (external, XKS proxy, HSM)`);
  await expect(createKey.originFixed).toHaveText('EXTERNAL_KEY_STORE');
  await expect(createKey.origin).toHaveCount(0);
  await expect(createKey.rotate).toHaveCount(0);
  await page.getByTestId('create-key-spec').click();
  await expect(page.locator('.n-base-select-menu:visible .n-base-select-option:not(.n-base-select-option--disabled)')).toHaveText(['Aliyun_AES_256']);
  await page.keyboard.press('Escape');
  await expect(createKey.submitButton).toBeDisabled();
  await createKey.xksKeyId.fill('alias/ext-target');
  await expect(createKey.root).toContainText('The external key id must be 1-128 characters');
  await createKey.fill({ spec: 'Aliyun_AES_256', xksKeyId: target, description: 'Held at the XKS proxy' });
  await shot(page, 'ext-create-key-dialog');
  await createKey.submit();
  const key = new KeyDetailPage(page);
  await expect(key.metadata).toBeVisible({ timeout: 60_000 });
  await expect(key.field('Origin')).toHaveText('EXTERNAL_KEY_STORE');
  await expect(page.getByTestId('key-detail-xks-key-id')).toHaveText(target);

  // Encrypt and decrypt through both layers.
  await key.openTab('crypto');
  await key.encryptPanel.roundTrip('wire transfer 4711');

  // The proxy goes away: the decryption fails with the typed error, the store's health says so.
  await kms.call('StopApplicationEndpoint', {});
  await key.encryptPanel.decrypt();
  const notification = page.getByTestId('error-notification').first();
  await expect(notification).toBeVisible({ timeout: 30_000 });
  await expect(notification).toHaveAttribute('data-code', 'XksProxy.Unreachable');
  await stores.open();
  await expect(row.healthError).toHaveText('XksProxy.Unreachable');
  await stores.openExternalStore(STORE);
  await expect(store.healthError).toHaveText('XksProxy.Unreachable');

  // Reconnecting: FAILED with XKS_PROXY_NOT_REACHABLE and what to check.
  await store.disconnect();
  await expect(store.state).toHaveText('DISCONNECTED');
  await expect(store.editButton).toBeEnabled();
  await store.connectToProxy();
  await expect(store.state).toHaveText('FAILED', { timeout: 30_000 });
  await expect(store.errorCode).toHaveText('XKS_PROXY_NOT_REACHABLE');
  await expect(store.errorText).toContainText('The XKS proxy could not be reached');
  await shot(page, 'ext-keystore-not-reachable');
  await stores.open();
  await expect(row.root).toContainText('FAILED');
  await expect(row.connectionError).toHaveText('XKS_PROXY_NOT_REACHABLE');
  await shot(page, 'ext-keystores-list-failed');
  await stores.openExternalStore(STORE);

  // Back on the same port, but signing with a wrong secret: FAILED with XKS_PROXY_ACCESS_DENIED.
  await kms.call('StartApplicationEndpoint', { Address: '127.0.0.1', Port: port });
  const edit = await store.openEdit();
  await expect(edit.endpoint).toHaveValue(`https://127.0.0.1:${port}`);
  await expect(edit.accessKeyId).toHaveValue(credential.AccessKeyId);
  await expect(edit.secret).toHaveValue('');
  await expect(edit.submitButton).toBeDisabled();
  await edit.secret.fill(WRONG_SECRET);
  await edit.save();
  await expect(edit.root).toBeHidden();
  await store.connectToProxy();
  await expect(store.errorCode).toHaveText('XKS_PROXY_ACCESS_DENIED', { timeout: 30_000 });
  await expect(store.state).toHaveText('FAILED');
  await expect(store.errorText).toContainText('The XKS proxy refused the credential');
  await shot(page, 'ext-keystore-access-denied');

  // The right secret again: connected.
  await store.changeSecret(credential.SecretAccessKey);
  await expect(edit.root).toBeHidden();
  await store.connectToProxy();
  await expect(store.state).toHaveText('CONNECTED', { timeout: 30_000 });
  await expect(store.errorCode).toHaveCount(0);
});
