import { readFile } from 'node:fs/promises';
import { Agent } from 'node:https';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Page } from '@playwright/test';
import { expect, screen, test } from './fixtures';
import { consoleOpen, createKey, visibleOptions } from './steps';

/** The client key password the test types (test-only). */
const CLIENT_KEY_PASSWORD = 'Client-Key-Pass-01';

async function openTab(page: Page, tab: string): Promise<void> {
  await page.getByTestId(`access-tab-${tab}`).click();
  await expect(page.getByTestId(`access-tab-${tab}`)).toHaveClass(/n-tabs-tab--active/);
}

/** Picks options of the Naive UI multi-select with this test id, then closes its menu. */
async function chooseMany(page: Page, testId: string, labels: string[]): Promise<void> {
  await page.getByTestId(testId).click();
  for (const label of labels) await visibleOptions(page).filter({ hasText: label }).first().click();
  await page.keyboard.press('Escape');
}

/** Types a time into the Naive UI date-time picker with this test id (the browser runs in UTC), then closes its panel. */
async function pickTime(page: Page, testId: string, time: Date): Promise<void> {
  await page.getByTestId(testId).locator('input').fill(time.toISOString().slice(0, 19).replace('T', ' '));
  await page.keyboard.press('Escape');
}

/** Confirms the open confirmation dialog with its positive button. */
async function confirm(page: Page, button: string): Promise<void> {
  await page.locator('.n-dialog').getByRole('button', { name: button, exact: true }).click();
}

test('an officer sets up an application access point and an application encrypts through the endpoint with the AWS SDK', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await consoleOpen(page);
  const keyId = await createKey(page, 'Aliyun_AES_256', undefined, { alias: 'payments', description: 'Payments data key' });

  await page.getByTestId('nav-access-points').click();
  await expect(page.getByTestId('access-tabs')).toBeVisible();
  await expect(page.getByTestId('access-points-count')).toContainText('0 access points');
  await expect(page.getByTestId('access-points-empty')).toContainText('No access points yet.');
  await screen(page, 'a0-access-points-empty');

  // A network rule: bad lines are named, the rule takes loopback only.
  await openTab(page, 'network-rules');
  await page.getByTestId('create-network-rule').click();
  await page.getByTestId('network-rule-name-input').fill('loopback');
  await page.getByTestId('network-rule-addresses-input').fill('127.0.0.1\n300.1.2.3');
  await expect(page.getByTestId('network-rule-dialog')).toContainText('Line 2: "300.1.2.3" is not an IP address or CIDR block');
  await expect(page.getByTestId('network-rule-submit')).toBeDisabled();
  await page.getByTestId('network-rule-addresses-input').fill('127.0.0.1\n\n10.20.0.0/16');
  await page.getByTestId('network-rule-description-input').fill('This workstation and the payments subnet');
  await screen(page, 'a0-access-network-rule-dialog');
  await page.getByTestId('network-rule-submit').click();
  await expect(page.getByTestId('network-rule-dialog')).toBeHidden();
  await expect(page.getByTestId('network-rule-name')).toHaveText('loopback');
  // Edit: the subnet goes, loopback stays.
  await page.getByTestId('network-rule-edit').click();
  await page.getByTestId('network-rule-addresses-input').fill('127.0.0.1');
  await page.getByTestId('network-rule-description-input').fill('This workstation only');
  await page.getByTestId('network-rule-submit').click();
  await expect(page.getByTestId('network-rule-addresses')).toHaveText('127.0.0.1');
  await screen(page, 'a0-access-network-rules');

  // A policy: key user on key/*, from the loopback rule; a bad resource is refused with the forms.
  await openTab(page, 'policies');
  await page.getByTestId('create-policy').click();
  await page.getByTestId('policy-name-input').fill('payments-encrypt');
  await page.getByTestId('policy-permission-key').click();
  await page.getByTestId('policy-resource-input').fill('keys/*');
  await expect(page.getByTestId('policy-resource-problem')).toContainText('key/*, key/<KeyId>, alias/<name>, secret/*, secret/<name>');
  await expect(page.getByTestId('policy-resource-add')).toBeDisabled();
  await page.getByTestId('policy-resource-input').fill('key/*');
  await page.getByTestId('policy-resource-add').click();
  await page.getByTestId('policy-resource-input').fill('alias/payments');
  await page.getByTestId('policy-resource-input').press('Enter');
  await expect(page.getByTestId('policy-resource-tag')).toHaveCount(2);
  await chooseMany(page, 'policy-network-rules-input', ['loopback']);
  await screen(page, 'a1-access-policy-dialog');
  await page.getByTestId('policy-submit').click();
  await expect(page.getByTestId('policy-dialog')).toBeHidden();
  await expect(page.getByTestId('policy-name')).toHaveText('payments-encrypt');
  await expect(page.getByTestId('policy-resources')).toContainText('key/*');
  await screen(page, 'a2-access-policies');

  // The access point, with that policy; its row opens to its client keys.
  await openTab(page, 'access-points');
  await page.getByTestId('create-access-point').click();
  await page.getByTestId('access-point-name-input').fill('payments-app');
  await page.getByTestId('access-point-description-input').fill('Payments service');
  await chooseMany(page, 'access-point-policies-input', ['payments-encrypt']);
  await screen(page, 'a2-access-point-dialog');
  await page.getByTestId('access-point-submit').click();
  await expect(page.getByTestId('access-point-dialog')).toBeHidden();
  await expect(page.getByTestId('access-point-name')).toHaveText('payments-app');
  await page.getByTestId('access-points-table').locator('.n-data-table-expand-trigger').first().click();
  await expect(page.getByTestId('client-keys-payments-app')).toBeVisible();

  // A client key: the password twice and a validity (from yesterday 00:00 UTC, for 400 days), then
  // the one-time view with both downloads and the secret.
  const DAY_MS = 86_400_000;
  const validFrom = new Date((Math.floor(Date.now() / DAY_MS) - 1) * DAY_MS);
  const validUntil = new Date(validFrom.getTime() + 400 * DAY_MS);
  const shown = (time: Date) => `${time.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  await page.getByTestId('create-client-key-payments-app').click();
  await expect(page.getByTestId('create-client-key-dialog')).toContainText('Empty: 5 years after Not before.');
  await page.getByTestId('client-key-password').fill(CLIENT_KEY_PASSWORD);
  await page.getByTestId('client-key-password-confirm').fill('Client-Key-Pass-02');
  await expect(page.getByTestId('create-client-key-dialog')).toContainText('The passwords do not match');
  await page.getByTestId('client-key-password-confirm').fill(CLIENT_KEY_PASSWORD);
  await pickTime(page, 'client-key-not-before', validUntil);
  await pickTime(page, 'client-key-not-after', validFrom);
  await expect(page.getByTestId('create-client-key-dialog')).toContainText('Not after must be later than Not before.');
  await expect(page.getByTestId('create-client-key-submit')).toBeDisabled();
  await pickTime(page, 'client-key-not-before', validFrom);
  await pickTime(page, 'client-key-not-after', validUntil);
  await expect(page.getByTestId('create-client-key-dialog')).not.toContainText('Not after must be later');
  await expect(page.getByTestId('create-client-key-dialog')).toContainText('Valid for 400 days.');
  await screen(page, 'a3-access-client-key-dialog');
  await page.getByTestId('create-client-key-submit').click();
  await expect(page.getByTestId('client-key-issued')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('client-key-issued-validity')).toHaveText(`${shown(validFrom)} → ${shown(validUntil)}`);
  await expect(page.getByTestId('client-key-once-warning')).toContainText('nothing of this is kept');
  const clientKeyId = (await page.getByTestId('client-key-issued-id').textContent())?.trim() ?? '';
  expect(clientKeyId).toMatch(/^KAAP\.[0-9a-f-]{36}$/);
  await expect(page.getByTestId('create-client-key-dialog')).not.toContainText(CLIENT_KEY_PASSWORD);

  const keyFileDownload = page.waitForEvent('download');
  await page.getByTestId('client-key-download').click();
  const keyFile = await keyFileDownload;
  expect(keyFile.suggestedFilename()).toBe(`clientKey_${clientKeyId}.json`);
  const keyFilePath = testInfo.outputPath(keyFile.suggestedFilename());
  await keyFile.saveAs(keyFilePath);
  const caDownload = page.waitForEvent('download');
  await page.getByTestId('client-key-ca-download').click();
  const caFile = await caDownload;
  const caPath = testInfo.outputPath(caFile.suggestedFilename());
  await caFile.saveAs(caPath);

  await expect(page.getByTestId('client-key-secret-masked')).toBeVisible();
  await screen(page, 'a3-access-client-key-once');
  await page.getByTestId('client-key-secret-toggle').click();
  const accessKeySecret = (await page.getByTestId('client-key-secret').textContent())?.trim() ?? '';
  expect(accessKeySecret.length).toBeGreaterThanOrEqual(20);

  // Done: the view and everything in it go; the list shows the key by its certificate only.
  await page.getByTestId('create-client-key-close').click();
  await expect(page.getByTestId('create-client-key-dialog')).toBeHidden();
  await expect(page.getByTestId('client-key-id')).toHaveText(clientKeyId);
  await expect(page.getByTestId('client-key-valid-from')).toHaveText(shown(validFrom));
  await expect(page.getByTestId('client-key-valid-until')).toHaveText(shown(validUntil));
  await expect(page.locator('body')).not.toContainText(accessKeySecret);
  // Opening the dialog again starts from the password: the issued key is gone from memory.
  await page.getByTestId('create-client-key-payments-app').click();
  await expect(page.getByTestId('client-key-password')).toHaveValue('');
  await expect(page.getByTestId('client-key-issued')).toHaveCount(0);
  await page.getByTestId('create-client-key-close').click();
  await expect(page.getByTestId('create-client-key-dialog')).toBeHidden();
  await screen(page, 'a4-access-points');

  // The endpoint: start on a free loopback port, read the port from the card.
  await openTab(page, 'endpoint');
  await expect(page.getByTestId('endpoint-state')).toHaveText('STOPPED');
  await page.getByTestId('endpoint-address-input').fill('127.0.0.1');
  await page.getByTestId('endpoint-port-input').fill('0');
  await page.getByTestId('endpoint-start').click();
  await expect(page.getByTestId('endpoint-state')).toHaveText('RUNNING', { timeout: 60_000 });
  const port = Number((await page.getByTestId('endpoint-port').textContent())?.trim());
  expect(port).toBeGreaterThan(0);
  await expect(page.getByTestId('endpoint-fingerprint')).toHaveText(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

  // The application: the downloaded client key file, its password, the CA, the AWS SDK as shipped.
  const clientKeyFile = JSON.parse(await readFile(keyFilePath, 'utf8')) as { KeyId: string; PrivateKeyData: string };
  expect(Object.keys(clientKeyFile).sort()).toEqual(['KeyId', 'PrivateKeyData']);
  const agent = new Agent({ pfx: Buffer.from(clientKeyFile.PrivateKeyData, 'base64'), passphrase: CLIENT_KEY_PASSWORD, ca: await readFile(caPath, 'utf8') });
  const kms = new KMSClient({
    region: 'keyward',
    endpoint: `https://127.0.0.1:${port}`,
    credentials: { accessKeyId: clientKeyFile.KeyId, secretAccessKey: accessKeySecret },
    requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
    maxAttempts: 1,
  });
  try {
    const plaintext = Buffer.from('card 4111 1111 1111 1111');
    const encrypted = await kms.send(new EncryptCommand({ KeyId: 'alias/payments', Plaintext: plaintext }));
    expect(encrypted.KeyId).toContain(keyId);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
    expect(Buffer.from(decrypted.Plaintext ?? new Uint8Array()).equals(plaintext)).toBe(true);
  } finally {
    kms.destroy();
    agent.destroy();
  }

  // The card lists those calls (newest first) with the access point and client key.
  await page.getByTestId('endpoint-refresh').click();
  const operations = page.getByTestId('application-call-operation');
  await expect(operations).toHaveText(['Decrypt', 'Encrypt']);
  await expect(page.getByTestId('application-call-outcome')).toHaveText(['SUCCESS', 'SUCCESS']);
  await expect(page.getByTestId('application-calls-table')).toContainText(clientKeyId);
  await screen(page, 'a5-access-endpoint');

  // Revoking the client key; stopping the endpoint.
  await openTab(page, 'access-points');
  await page.getByTestId('client-key-revoke').click();
  await confirm(page, 'Revoke');
  await expect(page.getByTestId('client-key-id')).toHaveCount(0);
  await openTab(page, 'endpoint');
  await page.getByTestId('endpoint-stop').click();
  await confirm(page, 'Stop endpoint');
  await expect(page.getByTestId('endpoint-state')).toHaveText('STOPPED');
  await expect(page.getByTestId('endpoint-start')).toBeVisible();
  await screen(page, 'a6-access-endpoint-stopped');
});

test('deleting an access point names it and says its client keys are revoked', async ({ page }) => {
  await consoleOpen(page);
  await page.getByTestId('nav-access-points').click();
  await openTab(page, 'network-rules');
  await page.getByTestId('create-network-rule').click();
  await page.getByTestId('network-rule-name-input').fill('loopback');
  await page.getByTestId('network-rule-addresses-input').fill('127.0.0.1');
  await page.getByTestId('network-rule-submit').click();
  await openTab(page, 'policies');
  await page.getByTestId('create-policy').click();
  await page.getByTestId('policy-name-input').fill('secrets-read');
  await page.getByTestId('policy-permission-secret').click();
  await page.getByTestId('policy-resource-input').fill('secret/*');
  await page.getByTestId('policy-resource-add').click();
  await chooseMany(page, 'policy-network-rules-input', ['loopback']);
  await page.getByTestId('policy-submit').click();
  await expect(page.getByTestId('policy-name')).toHaveText('secrets-read');
  await openTab(page, 'access-points');
  await page.getByTestId('create-access-point').click();
  await page.getByTestId('access-point-name-input').fill('reports-app');
  await chooseMany(page, 'access-point-policies-input', ['secrets-read']);
  await page.getByTestId('access-point-submit').click();
  await expect(page.getByTestId('access-point-name')).toHaveText('reports-app');

  // The policy is in use: its deletion is refused, and the rule's too.
  await openTab(page, 'policies');
  await page.getByTestId('policy-delete').click();
  await expect(page.locator('.n-dialog')).toContainText('Access points reports-app use it');
  await confirm(page, 'Delete secrets-read');
  await expect(page.getByTestId('error-notification').first()).toHaveAttribute('data-code', 'Forbidden.ResourceInUse');
  await expect(page.getByTestId('policy-name')).toHaveText('secrets-read');

  await openTab(page, 'access-points');
  await page.getByTestId('access-point-delete').click();
  await expect(page.locator('.n-dialog')).toContainText('Delete access point reports-app?');
  await expect(page.locator('.n-dialog')).toContainText('Its 0 client keys are revoked at once');
  await confirm(page, 'Delete reports-app');
  await expect(page.getByTestId('access-points-count')).toContainText('0 access points');
});
