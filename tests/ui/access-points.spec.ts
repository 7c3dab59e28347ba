import { readFile } from 'node:fs/promises';
import { Agent } from 'node:https';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AccessPointsPage } from '../../testing';
import { expect, screen, test } from './fixtures';
import { consoleOpen, createKey } from './steps';

/** The client key password the test types (test-only). */
const CLIENT_KEY_PASSWORD = 'Client-Key-Pass-01';

test('an officer sets up an application access point and an application encrypts through the endpoint with the AWS SDK', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await consoleOpen(page);
  const keyId = await createKey(page, 'Aliyun_AES_256', undefined, { alias: 'payments', description: 'Payments data key' });

  const access = new AccessPointsPage(page);
  await access.open();
  await expect(access.tabs).toBeVisible();
  await expect(access.accessPoints.count).toContainText('0 access points');
  await expect(access.accessPoints.empty).toContainText('No access points yet.');
  await screen(page, 'a0-access-points-empty');

  // A network rule: bad lines are named, the rule takes loopback only.
  const ruleDialog = await access.openCreateNetworkRule();
  await ruleDialog.fill({ name: 'loopback', addresses: ['127.0.0.1', '300.1.2.3'] });
  await expect(ruleDialog.root).toContainText('Line 2: "300.1.2.3" is not an IP address or CIDR block');
  await expect(ruleDialog.submitButton).toBeDisabled();
  await ruleDialog.fill({ addresses: ['127.0.0.1', '', '10.20.0.0/16'], description: 'This workstation and the payments subnet' });
  await screen(page, 'a0-access-network-rule-dialog');
  await ruleDialog.submit();
  await expect(access.networkRules.names).toHaveText('loopback');
  // Edit: the subnet goes, loopback stays.
  await access.networkRules.edit('loopback');
  await ruleDialog.fill({ addresses: ['127.0.0.1'], description: 'This workstation only' });
  await ruleDialog.submit();
  await expect(access.networkRules.row('loopback').getByTestId('network-rule-addresses')).toHaveText('127.0.0.1');
  await screen(page, 'a0-access-network-rules');

  // A policy: key user on key/*, from the loopback rule; a bad resource is refused with the forms.
  const policyDialog = await access.openCreatePolicy();
  await policyDialog.fill({ name: 'payments-encrypt', permissions: ['key'] });
  await policyDialog.resourceInput.fill('keys/*');
  await expect(policyDialog.resourceProblem).toContainText('key/*, key/<KeyId>, alias/<name>, secret/*, secret/<name>');
  await expect(policyDialog.resourceAddButton).toBeDisabled();
  await policyDialog.addResource('key/*', 'add-button');
  await policyDialog.addResource('alias/payments', 'enter');
  await expect(policyDialog.resourceTags).toHaveCount(2);
  await policyDialog.chooseNetworkRules(['loopback']);
  await screen(page, 'a1-access-policy-dialog');
  await policyDialog.submit();
  await expect(access.policies.names).toHaveText('payments-encrypt');
  await expect(access.policies.row('payments-encrypt').getByTestId('policy-resources')).toContainText('key/*');
  await screen(page, 'a2-access-policies');

  // The access point, with that policy; its row opens to its client keys.
  const accessPointDialog = await access.openCreateAccessPoint();
  await accessPointDialog.fill({ name: 'payments-app', description: 'Payments service', policies: ['payments-encrypt'] });
  await screen(page, 'a2-access-point-dialog');
  await accessPointDialog.submit();
  await expect(access.accessPoints.names).toHaveText('payments-app');
  await access.openClientKeys('payments-app');
  await expect(access.clientKeysOf('payments-app')).toBeVisible();

  // A client key: the password twice and a validity (from yesterday 00:00 UTC, for 400 days), then
  // the one-time view with both downloads and the secret.
  const DAY_MS = 86_400_000;
  const validFrom = new Date((Math.floor(Date.now() / DAY_MS) - 1) * DAY_MS);
  const validUntil = new Date(validFrom.getTime() + 400 * DAY_MS);
  const shown = (time: Date) => `${time.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  const keyDialog = await access.openCreateClientKey('payments-app');
  await expect(keyDialog.root).toContainText('Empty: 5 years after Not before.');
  await keyDialog.fillPassword(CLIENT_KEY_PASSWORD, 'Client-Key-Pass-02');
  await expect(keyDialog.root).toContainText('The passwords do not match');
  await keyDialog.passwordConfirmInput.fill(CLIENT_KEY_PASSWORD);
  await keyDialog.setValidity({ notBefore: validUntil, notAfter: validFrom });
  await expect(keyDialog.root).toContainText('Not after must be later than Not before.');
  await expect(keyDialog.submitButton).toBeDisabled();
  await keyDialog.setValidity({ notBefore: validFrom, notAfter: validUntil });
  await expect(keyDialog.root).not.toContainText('Not after must be later');
  await expect(keyDialog.root).toContainText('Valid for 400 days.');
  await screen(page, 'a3-access-client-key-dialog');
  const clientKeyId = await keyDialog.submit();
  await expect(keyDialog.issued).toBeVisible();
  await expect(keyDialog.issuedValidity).toHaveText(`${shown(validFrom)} → ${shown(validUntil)}`);
  await expect(keyDialog.onceWarning).toContainText('nothing of this is kept');
  expect(clientKeyId).toMatch(/^KAAP\.[0-9a-f-]{36}$/);
  await expect(keyDialog.root).not.toContainText(CLIENT_KEY_PASSWORD);

  const keyFile = await keyDialog.downloadClientKeyFile();
  expect(keyFile.suggestedFilename()).toBe(`clientKey_${clientKeyId}.json`);
  const keyFilePath = testInfo.outputPath(keyFile.suggestedFilename());
  await keyFile.saveAs(keyFilePath);
  const caFile = await keyDialog.downloadCaCertificate();
  const caPath = testInfo.outputPath(caFile.suggestedFilename());
  await caFile.saveAs(caPath);

  await expect(keyDialog.secretMasked).toBeVisible();
  await screen(page, 'a3-access-client-key-once');
  const accessKeySecret = await keyDialog.revealSecret();
  expect(accessKeySecret.length).toBeGreaterThanOrEqual(20);

  // Done: the view and everything in it go; the list shows the key by its certificate only.
  await keyDialog.close();
  await expect(keyDialog.root).toBeHidden();
  await expect(access.clientKeyIds('payments-app')).toHaveText(clientKeyId);
  const keyRow = access.clientKeyRow(clientKeyId);
  await expect(keyRow.getByTestId('client-key-valid-from')).toHaveText(shown(validFrom));
  await expect(keyRow.getByTestId('client-key-valid-until')).toHaveText(shown(validUntil));
  await expect(page.locator('body')).not.toContainText(accessKeySecret);
  // Opening the dialog again starts from the password: the issued key is gone from memory.
  await access.openCreateClientKey('payments-app');
  await expect(keyDialog.passwordInput).toHaveValue('');
  await expect(keyDialog.issued).toHaveCount(0);
  await keyDialog.close();
  await expect(keyDialog.root).toBeHidden();
  await screen(page, 'a4-access-points');

  // The endpoint: start on a free loopback port, read the port from the card.
  await access.openTab('endpoint');
  const endpoint = access.endpoint;
  await expect(endpoint.state).toHaveText('STOPPED');
  const port = await endpoint.start('127.0.0.1', 0);
  await expect(endpoint.state).toHaveText('RUNNING');
  expect(port).toBeGreaterThan(0);
  await expect(endpoint.fingerprint).toHaveText(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

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
  await endpoint.refresh();
  await expect(endpoint.callOperations).toHaveText(['Decrypt', 'Encrypt']);
  await expect(endpoint.callOutcomes).toHaveText(['SUCCESS', 'SUCCESS']);
  await expect(endpoint.callsTable).toContainText(clientKeyId);
  await screen(page, 'a5-access-endpoint');

  // Revoking the client key; stopping the endpoint.
  await access.openTab('access-points');
  await access.revokeClientKey(clientKeyId);
  await expect(access.clientKeyIds()).toHaveCount(0);
  await access.openTab('endpoint');
  await endpoint.stop();
  await expect(endpoint.state).toHaveText('STOPPED');
  await expect(endpoint.startButton).toBeVisible();
  await screen(page, 'a6-access-endpoint-stopped');
});

test('deleting an access point names it and says its client keys are revoked', async ({ page }) => {
  await consoleOpen(page);
  const access = new AccessPointsPage(page);
  await access.open();
  await access.createNetworkRule({ name: 'loopback', addresses: ['127.0.0.1'] });
  await access.createPolicy({ name: 'secrets-read', permissions: ['secret'], resources: ['secret/*'], networkRules: ['loopback'] });
  await expect(access.policies.names).toHaveText('secrets-read');
  await access.createAccessPoint({ name: 'reports-app', policies: ['secrets-read'] });
  await expect(access.accessPoints.names).toHaveText('reports-app');

  // The policy is in use: its deletion is refused, and the rule's too.
  await access.openTab('policies');
  await access.policies.askToDelete('secrets-read');
  await expect(access.confirmation).toContainText('Access points reports-app use it');
  await access.confirm('Delete secrets-read');
  await expect(access.errorNotification.first()).toHaveAttribute('data-code', 'Forbidden.ResourceInUse');
  await expect(access.policies.names).toHaveText('secrets-read');

  await access.openTab('access-points');
  await access.accessPoints.askToDelete('reports-app');
  await expect(access.confirmation).toContainText('Delete access point reports-app?');
  await expect(access.confirmation).toContainText('Its 0 client keys are revoked at once');
  await access.confirm('Delete reports-app');
  await expect(access.accessPoints.count).toContainText('0 access points');
});
