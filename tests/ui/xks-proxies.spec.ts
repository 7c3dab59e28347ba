import { copyFile, mkdir } from 'node:fs/promises';
import { Agent } from 'node:https';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { KEY_USER_PERMISSION } from '../../shared/contract';
import { METADATA, xksPost } from '../integration/xks/xks-fixture';
import { ApplicationEndpointCard, XksProxiesPage, type XksShownCredential } from '../../testing';
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

/** The one-time view's credential, read from the page with the view's warning and copy buttons checked; the view stays open. */
async function takeShownCredential(proxies: XksProxiesPage, shown: Promise<XksShownCredential>): Promise<XksShownCredential> {
  const credential = await shown;
  const view = proxies.credentialDialog;
  await expect(view.onceWarning).toContainText('Shown once: the secret is not kept');
  expect(credential.AccessKeyId).toMatch(/^[A-Z2-7]{20}$/);
  expect(credential.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{43}$/);
  await expect(view.copyButton('Access key ID')).toBeVisible();
  await expect(view.copyButton('Secret access key')).toBeVisible();
  return credential;
}

/** Closes the one-time view; its secret is then nowhere on the page. */
async function closeShownCredential(proxies: XksProxiesPage, secret: string): Promise<void> {
  await proxies.credentialDialog.close();
  await expect(proxies.page.locator('body')).not.toContainText(secret);
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

  const proxies = new XksProxiesPage(page);
  await proxies.open();
  await expect(proxies.count).toHaveText('0 XKS proxies');
  await expect(proxies.empty).toBeVisible();
  await expect(proxies.endpointStopped).toContainText('The application endpoint is stopped');

  // The create dialog checks the URI path as the contract does, rule by rule.
  const dialog = await proxies.openCreateDialog();
  await dialog.name.fill('aws prod');
  await expect(dialog.root).toContainText('Names are 1-64 characters of A-Z a-z 0-9 _ -.');
  await dialog.fill('aws-prod', 'prod');
  await expect(dialog.root).toContainText('Starts with /, e.g. /prod.');
  await expect(dialog.submitButton).toBeDisabled();
  await dialog.uriPath.fill('/prod/');
  await expect(dialog.root).toContainText('No / at the end.');
  await dialog.uriPath.fill('/prod');
  await expect(dialog.uriPathNote).toContainText('/prod/kms/xks/v1');
  await expect(dialog.keyStore).toContainText('kst-default');
  await expect(dialog.submitButton).toBeEnabled();
  await shot(page, 'xks-create-dialog');
  await dialog.submit();

  // Shown once: both values, copy buttons, the warning; gone once closed.
  const first = await takeShownCredential(proxies, proxies.credentialDialog.read());
  await expect(proxies.credentialDialog.uriPath).toHaveText('/prod/kms/xks/v1');
  await shot(page, 'xks-credential-once');
  await closeShownCredential(proxies, first.SecretAccessKey);
  await expect(proxies.names).toHaveText('aws-prod');
  await expect(proxies.uriPaths).toHaveText('/prod');
  await expect(proxies.accessKeyIds).toHaveText(first.AccessKeyId);

  // Opened: the keys it serves, and no URI while the endpoint is stopped.
  await proxies.expand('aws-prod');
  await expect(proxies.keyIds).toHaveText(keyId);
  await expect(proxies.keyAliases).toHaveText('alias/app-data');
  await expect(proxies.uriStopped).toContainText('The application endpoint is stopped');

  // The endpoint, started in the console; the proxy's full URI then appears.
  await proxies.openEndpointLink();
  const port = await new ApplicationEndpointCard(page).start('127.0.0.1', 0);
  await proxies.open();
  await expect(proxies.endpointRunning).toContainText(`https://127.0.0.1:${port}`);
  await proxies.expand('aws-prod');
  await expect(proxies.uri).toHaveText(`https://127.0.0.1:${port}/prod/kms/xks/v1`);

  // An XKS call as AWS KMS makes one, signed with the first credential.
  const agent = await xksCallerAgent(kms);
  try {
    const encryptPath = '/prod/kms/xks/v1/keys/app-data/encrypt';
    const body = { requestMetadata: METADATA, plaintext: Buffer.from('shown once').toString('base64'), encryptionAlgorithm: 'AES_GCM' };
    const sealed = await xksPost(port, agent, encryptPath, body, first);
    expect(sealed.status, sealed.body).toBe(200);

    // Rotate: a second credential, shown once; both are listed, newest first.
    const second = await takeShownCredential(proxies, proxies.rotate('aws-prod'));
    expect(second.AccessKeyId).not.toBe(first.AccessKeyId);
    await closeShownCredential(proxies, second.SecretAccessKey);
    await expect(proxies.credentials).toHaveText([`${second.AccessKeyId}newest`, first.AccessKeyId]);

    // Retire: the confirmation names the id that stops working; afterwards only the newest is left.
    await proxies.askToRetire('aws-prod');
    await expect(proxies.confirmation).toContainText(`${first.AccessKeyId} stops working at once; ${second.AccessKeyId} stays.`);
    await proxies.confirm('Retire');
    await expect(page.getByText(`Retired ${first.AccessKeyId}`)).toBeVisible();
    await expect(proxies.accessKeyIds).toHaveText(second.AccessKeyId);
    await expect(proxies.retireButton('aws-prod')).toBeDisabled();
    const refused = await xksPost(port, agent, encryptPath, body, first);
    expect(refused.status).toBe(401);
    expect((await xksPost(port, agent, encryptPath, body, second)).status).toBe(200);

    // The latest XKS calls, from the audit log (usage records are group-committed: refreshed until there).
    await proxies.waitForCalls(3);
    await expect(proxies.callOperations).toHaveText(['XksEncrypt', 'XksEncrypt', 'XksEncrypt']);
    await expect(proxies.callOutcomes).toHaveText(['SUCCESS', /^FAILURE /, 'SUCCESS']);
    // The refused call names its proxy from the path (its signature never held), and no access key id.
    await expect(proxies.callProxies).toHaveText(['aws-prod', 'aws-prod', 'aws-prod']);
    await expect(proxies.callAccessKeyIds).toHaveText([second.AccessKeyId, '—', first.AccessKeyId]);
    await shot(page, 'xks-list');
  } finally {
    agent.destroy();
  }

  // Delete: only once the name is typed.
  const deleting = await proxies.askToDelete('aws-prod');
  await expect(deleting.root).toContainText('/prod stops answering now. Destroyed with it: 1 credential.');
  await expect(deleting.confirmButton).toBeDisabled();
  await deleting.typeName('aws-pro');
  await expect(deleting.confirmButton).toBeDisabled();
  await deleting.typeName('aws-prod');
  await shot(page, 'xks-delete-confirm');
  await deleting.confirm();
  await expect(deleting.root).toBeHidden();
  await expect(proxies.count).toHaveText('0 XKS proxies');
});
