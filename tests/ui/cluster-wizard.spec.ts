import type { Page } from '@playwright/test';
import { addHsm, ClusterWizardPage, createLabHsms, KeyDetailPage, KeyStorePage } from '../../testing';
import { expect, screen, test, type KmsClient } from './fixtures';
import { consoleOpen } from './steps';

const SO_PIN = 'Officer-SO-8812';
const KMSUSER_PASSWORD = 'Kmsuser2024vault';

/** No secret typed into the wizard may stay in the page or in browser storage. */
async function expectNoSecretsLeft(page: Page): Promise<void> {
  const storage = String(await page.evaluate('JSON.stringify(sessionStorage) + JSON.stringify(localStorage)'));
  const traces = `${await page.content()}\n${storage}`;
  const inputs = await page.locator('input').evaluateAll((elements) => elements.map((element) => (element as { value?: string }).value ?? '').join('\n'));
  for (const secret of [SO_PIN, KMSUSER_PASSWORD]) {
    expect(traces).not.toContain(secret);
    expect(inputs).not.toContain(secret);
  }
}

test('sets up a two-zone cluster key store with the wizard, resuming from the host state', async ({ page, kms }) => {
  test.setTimeout(300_000);
  await consoleOpen(page);
  const lab = await createLabHsms(kms, ['SoftHSM vault A', 'SoftHSM vault B']);
  try {
    const wizard = new ClusterWizardPage(page);
    await page.getByTestId('nav-clusters').click();
    await expect(page.getByTestId('clusters-empty')).toBeVisible();
    await page.getByTestId('cluster-setup-start').click();

    // Modules are registered already: the wizard starts at the cluster; one step back lists them.
    await wizard.expectStep('cluster');
    await page.getByRole('button', { name: 'Back: modules' }).click();
    await wizard.expectStep('module');
    await expect(wizard.modules).toContainText('SoftHSM vault A');
    await expect(wizard.modules).toContainText('SoftHSM vault B');
    await screen(page, '40-wizard-module');
    await wizard.continueFromModules();

    await wizard.fillCluster({ name: 'vault-cluster-1', description: 'Two SoftHSM2 tokens standing in for two zones' });
    await screen(page, '41-wizard-cluster');
    await wizard.createCluster();
    await expect(page).toHaveURL(/#\/clusters\/[^/]+\/setup$/);

    await wizard.addHsm('SoftHSM vault A', 'zone-a');
    await expect(wizard.hsmItems).toHaveCount(1);
    await expect(page.getByTestId('wizard-hsms-next')).toBeDisabled();
    await wizard.addHsm('SoftHSM vault B', 'zone-b');
    await expect(wizard.hsmItems).toHaveCount(2);
    await expect(page.getByTestId('hsms-requirement')).toContainText('2 HSMs in 2 zones');
    await expect(page.getByTestId('topology-zone')).toHaveCount(2);
    await screen(page, '42-wizard-hsms');
    await wizard.continueFromHsms();

    await wizard.fillSoPin(SO_PIN, `${SO_PIN}x`);
    await expect(page.getByText('The PINs do not match')).toBeVisible();
    await expect(page.getByTestId('cluster-initialize')).toBeDisabled();
    await wizard.fillSoPin(SO_PIN);
    await screen(page, '43-wizard-initialize');
    await wizard.initialize();

    await expect(page.getByTestId('topology-hsm')).toHaveCount(2);
    await screen(page, '44-wizard-activate');
    await wizard.activate();

    // Resume: a reload (or another window) reads the host and lands on the same step.
    await page.reload();
    await wizard.expectStep('crypto-user');
    await expect(wizard.progress).toHaveText('Step 6 of 9');
    await page.getByTestId('nav-clusters').click();
    await expect(page.getByTestId('clusters-table')).toContainText('ACTIVE');
    await screen(page, '45-clusters-list-mid-setup');
    await page.getByTestId('cluster-continue-setup').first().click();
    await wizard.expectStep('crypto-user');

    await wizard.fillCryptoUser(KMSUSER_PASSWORD, SO_PIN);
    await screen(page, '46-wizard-kmsuser');
    await wizard.createCryptoUser();

    await expect(page.getByTestId('keystore-trust-anchor')).toHaveValue(/-----BEGIN CERTIFICATE-----/);
    await wizard.fillKeyStore('vault-store-1', KMSUSER_PASSWORD);
    await screen(page, '47-wizard-key-store');
    if ((await wizard.createKeyStore()) === 'connect') {
      await screen(page, '48-wizard-connect');
      await wizard.connect(KMSUSER_PASSWORD);
    }
    await wizard.expectStep('first-key', 60_000);
    await expectNoSecretsLeft(page);
    await wizard.createFirstKey();
    await expect(wizard.progress).toHaveText('All 9 steps done');
    await screen(page, '49-wizard-done');

    // The first key lives in the cluster key store, HSM protection.
    await page.getByTestId('wizard-done-key').click();
    await expect(new KeyDetailPage(page).field('ProtectionLevel')).toHaveText('HSM');

    // Cluster page: topology with both zones reachable, the owner certificate.
    await page.getByTestId('nav-clusters').click();
    await page.getByTestId('cluster-link').click();
    await expect(page.getByTestId('topology-hsm')).toHaveCount(2);
    await expect(page.getByTestId('topology-hsm').first()).toHaveAttribute('data-health', 'HEALTHY');
    await expect(page.getByTestId('cluster-certificate')).toContainText('BEGIN CERTIFICATE');
    await expect(page.getByTestId('cluster-crypto-users')).toHaveText('kmsuser');
    await screen(page, '50-cluster-page');

    // Key store page: connection state, disconnect with a confirmation, a failed connect shows its error code.
    await page.getByTestId('cluster-keystore-link').click();
    const store = new KeyStorePage(page);
    await expect(store.state).toHaveText('CONNECTED');
    await store.disconnect();
    await store.connect('WrongPassword99');
    await expect(store.errorCode).toBeVisible();
    await screen(page, '51-keystore-connect-failed');
    await store.connect(KMSUSER_PASSWORD);
    await expect(store.state).toHaveText('CONNECTED');
    await screen(page, '52-keystore-connected');
    await expectNoSecretsLeft(page);

    await growCluster(page, kms);
  } finally {
    await lab.cleanup();
  }
});

/** On the page of the active cluster: a third HSM is added, joined (keys copied to it), then removed again. */
async function growCluster(page: Page, kms: KmsClient): Promise<void> {
  const extra = await createLabHsms(kms, ['SoftHSM vault C']);
  try {
    await page.getByTestId('nav-clusters').click();
    await page.getByTestId('cluster-link').click();
    const members = page.getByTestId('hsm-item');
    await expect(members).toHaveCount(2);
    await expect(members.first().getByTestId('hsm-owner')).toBeVisible();
    await expect(members.first().getByTestId('hsm-remove')).toHaveCount(0);

    await page.getByTestId('cluster-add-hsm').click();
    await addHsm(page, 'SoftHSM vault C', 'zone-c');
    const added = page.locator('[data-testid="hsm-item"][data-state="UNINITIALIZED"]');
    await expect(added).toHaveCount(1);
    await expect(page.getByTestId('cluster-degraded')).toHaveCount(0);
    await screen(page, '55-cluster-hsm-added');

    await added.getByTestId('hsm-join').click();
    await page.getByTestId('join-hsm-so-pin').fill(SO_PIN);
    await page.getByTestId('join-hsm-password').fill(KMSUSER_PASSWORD);
    await screen(page, '56-join-hsm-dialog');
    await page.getByTestId('join-hsm-submit').click();
    await expect(page.getByTestId('join-hsm-report')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('join-hsm-replicated')).toHaveText('1');
    await screen(page, '57-join-hsm-report');
    await page.getByTestId('join-hsm-dialog').getByRole('button', { name: 'Close' }).last().click();
    await expect(page.locator('[data-testid="hsm-item"][data-state="INITIALIZED"]')).toHaveCount(3);
    await expect(page.getByTestId('topology-hsm').last()).toHaveAttribute('data-health', 'HEALTHY');
    await screen(page, '58-cluster-three-members');

    await members.last().getByTestId('hsm-remove').click();
    await page.getByRole('button', { name: 'Remove', exact: true }).last().click();
    await expect(members).toHaveCount(2);
    await expectNoSecretsLeft(page);
  } finally {
    await extra.cleanup();
  }
}

test('a single-HSM lab cluster is marked LAB everywhere', async ({ page, kms }) => {
  test.setTimeout(180_000);
  await consoleOpen(page);
  const lab = await createLabHsms(kms, ['SoftHSM lab']);
  try {
    const wizard = new ClusterWizardPage(page);
    await wizard.start();
    await wizard.expectStep('cluster');
    await wizard.fillCluster({ name: 'training-lab', lab: true });
    await expect(page.getByTestId('cluster-lab-warning')).toContainText('no redundancy');
    await wizard.createCluster();
    await expect(page.getByTestId('wizard-lab-tag')).toBeVisible();
    await wizard.addHsm('SoftHSM lab', 'lab-zone');
    await wizard.continueFromHsms();
    await wizard.fillSoPin(SO_PIN);
    await wizard.initialize();
    await expect(page.getByTestId('lab-tag')).toBeVisible();
    await wizard.activate();
    await screen(page, '53-lab-wizard');

    await page.getByTestId('nav-clusters').click();
    await expect(page.getByTestId('clusters-table').getByTestId('lab-tag')).toHaveText('LAB');
    await page.getByTestId('cluster-link').click();
    await expect(page.getByTestId('cluster-lab-banner')).toContainText('no HSM redundancy');
    await screen(page, '54-lab-cluster-page');
  } finally {
    await lab.cleanup();
  }
});
