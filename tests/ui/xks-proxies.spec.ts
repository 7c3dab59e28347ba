import { copyFile, mkdir } from 'node:fs/promises';
import { Agent } from 'node:https';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { KEY_USER_PERMISSION } from '../../shared/contract';
import { METADATA, xksPost, type XksCredential } from '../integration/xks/xks-fixture';
import { expect, screen, test, type KmsClient } from './fixtures';
import { SCREENS_DIR } from './paths';
import { consoleOpen, createKey } from './steps';

/** Where the brief's reviewers look at the screenshots, besides test-results/screens. */
const SHOTS_DIR = '/tmp/kw/shots';
/** The client key password the test sets through the operation client (test-only). */
const CLIENT_KEY_PASSWORD = 'Xks-Client-Pass-01';

async function shot(page: Page, name: string): Promise<void> {
  await screen(page, name);
  await mkdir(SHOTS_DIR, { recursive: true });
  await copyFile(path.join(SCREENS_DIR, `${name}.png`), path.join(SHOTS_DIR, `${name}.png`));
}

async function confirm(page: Page, button: string): Promise<void> {
  await page.locator('.n-dialog').getByRole('button', { name: button, exact: true }).click();
}

/** The one-time view's credential, read from the page, then closed; resolves once the view is gone. */
async function takeShownCredential(page: Page): Promise<XksCredential> {
  const dialog = page.getByTestId('xks-credential-dialog');
  await expect(dialog).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('xks-credential-once-warning')).toContainText('Shown once: the secret is not kept');
  const credential = {
    AccessKeyId: (await page.getByTestId('xks-credential-access-key-id').textContent())?.trim() ?? '',
    SecretAccessKey: (await page.getByTestId('xks-credential-secret').textContent())?.trim() ?? '',
  };
  expect(credential.AccessKeyId).toMatch(/^[A-Z2-7]{20}$/);
  expect(credential.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{43}$/);
  await expect(dialog.getByRole('button', { name: 'Copy Access key ID' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Copy Secret access key' })).toBeVisible();
  return credential;
}

async function closeShownCredential(page: Page, secret: string): Promise<void> {
  await page.getByTestId('xks-credential-close').click();
  await expect(page.getByTestId('xks-credential-dialog')).toBeHidden();
  await expect(page.locator('body')).not.toContainText(secret);
}

/** A client key of the instance CA, made through the host's operation client: XKS calls need one for mutual TLS. */
async function xksCallerAgent(kms: KmsClient): Promise<Agent> {
  await kms.call('CreateNetworkRule', { Name: 'loopback', Type: 'Private', SourcePrivateIp: ['127.0.0.1'], Description: '' });
  await kms.call('CreatePolicy', {
    Name: 'xks-caller',
    Permissions: [KEY_USER_PERMISSION],
    Resources: ['key/*'],
    AccessControlRules: { NetworkRules: ['loopback'] },
    Description: '',
  });
  await kms.call('CreateApplicationAccessPoint', { Name: 'xks-caller', AuthenticationMethod: 'ClientKey', Policies: ['xks-caller'], Description: '' });
  const clientKey = await kms.call('CreateClientKey', { AapName: 'xks-caller', Password: CLIENT_KEY_PASSWORD });
  return new Agent({ pfx: Buffer.from(clientKey.PrivateKeyData, 'base64'), passphrase: CLIENT_KEY_PASSWORD, ca: clientKey.CaCertificate });
}

test('an officer serves a key store to AWS KMS through an XKS proxy: create, credential shown once, rotate, retire, delete', async ({ page, kms }) => {
  test.setTimeout(300_000);
  await consoleOpen(page);
  const keyId = await createKey(page, 'Aliyun_AES_256', undefined, { alias: 'app-data', description: 'Served to AWS KMS' });

  await page.getByTestId('nav-xks-proxies').click();
  await expect(page.getByTestId('xks-proxies-count')).toHaveText('0 XKS proxies');
  await expect(page.getByTestId('xks-proxies-empty')).toBeVisible();
  await expect(page.getByTestId('xks-endpoint-stopped')).toContainText('The application endpoint is stopped');

  // The create dialog checks the URI path as the contract does, rule by rule.
  await page.getByTestId('create-xks-proxy').click();
  await page.getByTestId('xks-proxy-name-input').fill('aws prod');
  await expect(page.getByTestId('xks-proxy-dialog')).toContainText('Names are 1-64 characters of A-Z a-z 0-9 _ -.');
  await page.getByTestId('xks-proxy-name-input').fill('aws-prod');
  await page.getByTestId('xks-proxy-uri-path-input').fill('prod');
  await expect(page.getByTestId('xks-proxy-dialog')).toContainText('Starts with /, e.g. /prod.');
  await expect(page.getByTestId('xks-proxy-submit')).toBeDisabled();
  await page.getByTestId('xks-proxy-uri-path-input').fill('/prod/');
  await expect(page.getByTestId('xks-proxy-dialog')).toContainText('No / at the end.');
  await page.getByTestId('xks-proxy-uri-path-input').fill('/prod');
  await expect(page.getByTestId('xks-proxy-uri-path-note')).toContainText('/prod/kms/xks/v1');
  await expect(page.getByTestId('xks-proxy-key-store')).toContainText('kst-default');
  await expect(page.getByTestId('xks-proxy-submit')).toBeEnabled();
  await shot(page, 'xks-create-dialog');
  await page.getByTestId('xks-proxy-submit').click();

  // Shown once: both values, copy buttons, the warning; gone once closed.
  const first = await takeShownCredential(page);
  await expect(page.getByTestId('xks-credential-uri-path')).toHaveText('/prod/kms/xks/v1');
  await shot(page, 'xks-credential-once');
  await closeShownCredential(page, first.SecretAccessKey);
  await expect(page.getByTestId('xks-proxy-name')).toHaveText('aws-prod');
  await expect(page.getByTestId('xks-proxy-uri-path')).toHaveText('/prod');
  await expect(page.getByTestId('xks-proxy-access-key-ids')).toHaveText(first.AccessKeyId);

  // Opened: the keys it serves, and no URI while the endpoint is stopped.
  await page.getByTestId('xks-proxies-table').locator('.n-data-table-expand-trigger').first().click();
  await expect(page.getByTestId('xks-proxy-key-id')).toHaveText(keyId);
  await expect(page.getByTestId('xks-proxy-key-aliases')).toHaveText('alias/app-data');
  await expect(page.getByTestId('xks-proxy-uri-stopped')).toContainText('The application endpoint is stopped');

  // The endpoint, started in the console; the proxy's full URI then appears.
  await page.getByTestId('xks-proxy-endpoint-link').click();
  await page.getByTestId('endpoint-port-input').fill('0');
  await page.getByTestId('endpoint-start').click();
  await expect(page.getByTestId('endpoint-state')).toHaveText('RUNNING', { timeout: 60_000 });
  const port = Number((await page.getByTestId('endpoint-port').textContent())?.trim());
  await page.getByTestId('nav-xks-proxies').click();
  await expect(page.getByTestId('xks-endpoint-running')).toContainText(`https://127.0.0.1:${port}`);
  await page.getByTestId('xks-proxies-table').locator('.n-data-table-expand-trigger').first().click();
  await expect(page.getByTestId('xks-proxy-uri')).toHaveText(`https://127.0.0.1:${port}/prod/kms/xks/v1`);

  // An XKS call as AWS KMS makes one, signed with the first credential.
  const agent = await xksCallerAgent(kms);
  try {
    const encryptPath = '/prod/kms/xks/v1/keys/app-data/encrypt';
    const body = { requestMetadata: METADATA, plaintext: Buffer.from('shown once').toString('base64'), encryptionAlgorithm: 'AES_GCM' };
    const sealed = await xksPost(port, agent, encryptPath, body, first);
    expect(sealed.status, sealed.body).toBe(200);

    // Rotate: a second credential, shown once; both are listed, newest first.
    await page.getByTestId('xks-proxy-rotate').click();
    await confirm(page, 'Rotate');
    const second = await takeShownCredential(page);
    expect(second.AccessKeyId).not.toBe(first.AccessKeyId);
    await closeShownCredential(page, second.SecretAccessKey);
    await expect(page.getByTestId('xks-proxy-credential')).toHaveText([`${second.AccessKeyId}newest`, first.AccessKeyId]);

    // Retire: the confirmation names the id that stops working; afterwards only the newest is left.
    await page.getByTestId('xks-proxy-retire').click();
    await expect(page.locator('.n-dialog')).toContainText(`${first.AccessKeyId} stops working at once; ${second.AccessKeyId} stays.`);
    await confirm(page, 'Retire');
    await expect(page.getByText(`Retired ${first.AccessKeyId}`)).toBeVisible();
    await expect(page.getByTestId('xks-proxy-access-key-ids')).toHaveText(second.AccessKeyId);
    await expect(page.getByTestId('xks-proxy-retire')).toBeDisabled();
    const refused = await xksPost(port, agent, encryptPath, body, first);
    expect(refused.status).toBe(401);
    expect((await xksPost(port, agent, encryptPath, body, second)).status).toBe(200);

    // The latest XKS calls, from the audit log (usage records are group-committed: refreshed until there).
    await expect(async () => {
      await page.getByTestId('xks-calls-refresh').click();
      await expect(page.getByTestId('xks-call-operation')).toHaveCount(3, { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByTestId('xks-call-operation')).toHaveText(['XksEncrypt', 'XksEncrypt', 'XksEncrypt']);
    await expect(page.getByTestId('xks-call-outcome')).toHaveText(['SUCCESS', /^FAILURE /, 'SUCCESS']);
    // The refused call names its proxy from the path (its signature never held), and no access key id.
    await expect(page.getByTestId('xks-call-proxy')).toHaveText(['aws-prod', 'aws-prod', 'aws-prod']);
    await expect(page.getByTestId('xks-call-access-key-id')).toHaveText([second.AccessKeyId, '—', first.AccessKeyId]);
    await shot(page, 'xks-list');
  } finally {
    agent.destroy();
  }

  // Delete: only once the name is typed.
  await page.getByTestId('xks-proxy-delete').click();
  await expect(page.getByTestId('xks-proxy-delete-dialog')).toContainText('/prod stops answering now. Destroyed with it: 1 credential.');
  await expect(page.getByTestId('xks-proxy-delete-confirm')).toBeDisabled();
  await page.getByTestId('xks-proxy-delete-name').fill('aws-pro');
  await expect(page.getByTestId('xks-proxy-delete-confirm')).toBeDisabled();
  await page.getByTestId('xks-proxy-delete-name').fill('aws-prod');
  await shot(page, 'xks-delete-confirm');
  await page.getByTestId('xks-proxy-delete-confirm').click();
  await expect(page.getByTestId('xks-proxy-delete-dialog')).toBeHidden();
  await expect(page.getByTestId('xks-proxies-count')).toHaveText('0 XKS proxies');
});
