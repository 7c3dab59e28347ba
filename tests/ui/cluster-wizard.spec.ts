import type { Page } from '@playwright/test';
import { expect, screen, test, type KeywardHost } from './fixtures';
import { createLabHsms, SOFTHSM_MODULE } from './softhsm-tokens';
import { choose, firstRun, visibleOptions } from './steps';

const SO_PIN = 'Officer-SO-8812';
const KMSUSER_PASSWORD = 'Kmsuser2024vault';

async function step(page: Page, id: string, timeout = 30_000): Promise<void> {
  await expect(page.getByTestId('wizard-panel')).toHaveAttribute('data-step', id, { timeout });
}

/** Adds the first free token of a module as a member in a zone. */
async function addHsm(page: Page, moduleName: string, zone: string): Promise<void> {
  await choose(page, 'hsm-module', `${moduleName} — ${SOFTHSM_MODULE}`);
  await page.getByTestId('hsm-token').click();
  await visibleOptions(page).filter({ hasText: /blank token/ }).first().click();
  await page.getByTestId('hsm-zone').fill(zone);
  await page.getByTestId('hsm-add').click();
}

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

test('sets up a two-zone cluster key store with the wizard, resuming from the host state', async ({ page, host }) => {
  test.setTimeout(300_000);
  await firstRun(page, host);
  const lab = await createLabHsms(host, ['SoftHSM vault A', 'SoftHSM vault B']);
  try {
    await page.getByTestId('nav-clusters').click();
    await expect(page.getByTestId('clusters-empty')).toBeVisible();
    await page.getByTestId('cluster-setup-start').click();

    // Modules are registered already: the wizard starts at the cluster; one step back lists them.
    await step(page, 'cluster');
    await page.getByRole('button', { name: 'Back: modules' }).click();
    await step(page, 'module');
    await expect(page.getByTestId('wizard-modules')).toContainText('SoftHSM vault A');
    await expect(page.getByTestId('wizard-modules')).toContainText('SoftHSM vault B');
    await screen(page, '40-wizard-module');
    await page.getByTestId('wizard-module-next').click();

    await step(page, 'cluster');
    await page.getByTestId('cluster-name').fill('vault-cluster-1');
    await page.getByTestId('cluster-description').fill('Two SoftHSM2 tokens standing in for two zones');
    await screen(page, '41-wizard-cluster');
    await page.getByTestId('cluster-create').click();
    await step(page, 'hsms');
    await expect(page).toHaveURL(/#\/clusters\/[^/]+\/setup$/);

    await addHsm(page, 'SoftHSM vault A', 'zone-a');
    await expect(page.getByTestId('hsm-item')).toHaveCount(1);
    await expect(page.getByTestId('wizard-hsms-next')).toBeDisabled();
    await addHsm(page, 'SoftHSM vault B', 'zone-b');
    await expect(page.getByTestId('hsm-item')).toHaveCount(2);
    await expect(page.getByTestId('hsms-requirement')).toContainText('2 HSMs in 2 zones');
    await expect(page.getByTestId('topology-zone')).toHaveCount(2);
    await screen(page, '42-wizard-hsms');
    await page.getByTestId('wizard-hsms-next').click();

    await step(page, 'initialize');
    await page.getByTestId('so-pin').fill(SO_PIN);
    await page.getByTestId('so-pin-confirm').fill(`${SO_PIN}x`);
    await expect(page.getByText('The PINs do not match')).toBeVisible();
    await expect(page.getByTestId('cluster-initialize')).toBeDisabled();
    await page.getByTestId('so-pin-confirm').fill(SO_PIN);
    await screen(page, '43-wizard-initialize');
    await page.getByTestId('cluster-initialize').click();

    await step(page, 'activate', 120_000);
    await expect(page.getByTestId('topology-hsm')).toHaveCount(2);
    await screen(page, '44-wizard-activate');
    await page.getByTestId('cluster-activate').click();
    await step(page, 'crypto-user');

    // Resume: a reload (or another window) reads the host and lands on the same step.
    await page.reload();
    await step(page, 'crypto-user');
    await expect(page.getByTestId('wizard-progress')).toHaveText('Step 6 of 9');
    await page.getByTestId('nav-clusters').click();
    await expect(page.getByTestId('clusters-table')).toContainText('ACTIVE');
    await screen(page, '45-clusters-list-mid-setup');
    await page.getByTestId('cluster-continue-setup').first().click();
    await step(page, 'crypto-user');

    await page.getByTestId('kmsuser-password').fill(KMSUSER_PASSWORD);
    await page.getByTestId('kmsuser-password-confirm').fill(KMSUSER_PASSWORD);
    await page.getByTestId('crypto-user-so-pin').fill(SO_PIN);
    await screen(page, '46-wizard-kmsuser');
    await page.getByTestId('crypto-user-create').click();

    await step(page, 'key-store', 60_000);
    await expect(page.getByTestId('keystore-trust-anchor')).toHaveValue(/-----BEGIN CERTIFICATE-----/);
    await page.getByTestId('keystore-name').fill('vault-store-1');
    await page.getByTestId('keystore-password').fill(KMSUSER_PASSWORD);
    await screen(page, '47-wizard-key-store');
    await page.getByTestId('keystore-create').click();

    await expect(page.getByTestId('wizard-panel')).toHaveAttribute('data-step', /^(connect|first-key)$/, { timeout: 60_000 });
    if ((await page.getByTestId('wizard-panel').getAttribute('data-step')) === 'connect') {
      await screen(page, '48-wizard-connect');
      await page.getByTestId('wizard-connect-password').fill(KMSUSER_PASSWORD);
      await page.getByTestId('wizard-connect').click();
    }
    await step(page, 'first-key', 60_000);
    await expectNoSecretsLeft(page);
    await page.getByTestId('first-key-create').click();
    await step(page, 'done', 60_000);
    await expect(page.getByTestId('wizard-progress')).toHaveText('All 9 steps done');
    await screen(page, '49-wizard-done');

    // The first key lives in the cluster key store, HSM protection.
    await page.getByTestId('wizard-done-key').click();
    await expect(page.getByTestId('key-detail-metadata').locator('[data-field="ProtectionLevel"]')).toHaveText('HSM');

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
    await expect(page.getByTestId('keystore-state')).toHaveText('CONNECTED');
    await page.getByTestId('keystore-disconnect').click();
    await page.getByRole('button', { name: 'Disconnect', exact: true }).last().click();
    await expect(page.getByTestId('keystore-state')).toHaveText('DISCONNECTED');
    await page.getByTestId('keystore-connect').click();
    await page.getByTestId('connect-password').fill('WrongPassword99');
    await page.getByTestId('connect-submit').click();
    await expect(page.getByTestId('keystore-error-code')).toBeVisible();
    await screen(page, '51-keystore-connect-failed');
    await page.getByTestId('keystore-connect').click();
    await page.getByTestId('connect-password').fill(KMSUSER_PASSWORD);
    await page.getByTestId('connect-submit').click();
    await expect(page.getByTestId('keystore-state')).toHaveText('CONNECTED');
    await screen(page, '52-keystore-connected');
    await expectNoSecretsLeft(page);

    await growCluster(page, host);
  } finally {
    await lab.cleanup();
  }
});

/** On the page of the active cluster: a third HSM is added, joined (keys copied to it), then removed again. */
async function growCluster(page: Page, host: KeywardHost): Promise<void> {
  const extra = await createLabHsms(host, ['SoftHSM vault C']);
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

test('a single-HSM lab cluster is marked LAB everywhere', async ({ page, host }) => {
  test.setTimeout(180_000);
  await firstRun(page, host);
  const lab = await createLabHsms(host, ['SoftHSM lab']);
  try {
    await page.getByTestId('nav-clusters').click();
    await page.getByTestId('cluster-setup-start').click();
    await step(page, 'cluster');
    await page.getByTestId('cluster-name').fill('training-lab');
    await page.getByTestId('cluster-lab').click();
    await expect(page.getByTestId('cluster-lab-warning')).toContainText('no redundancy');
    await page.getByTestId('cluster-create').click();
    await step(page, 'hsms');
    await expect(page.getByTestId('wizard-lab-tag')).toBeVisible();
    await addHsm(page, 'SoftHSM lab', 'lab-zone');
    await page.getByTestId('wizard-hsms-next').click();
    await step(page, 'initialize');
    await page.getByTestId('so-pin').fill(SO_PIN);
    await page.getByTestId('so-pin-confirm').fill(SO_PIN);
    await page.getByTestId('cluster-initialize').click();
    await step(page, 'activate', 120_000);
    await expect(page.getByTestId('lab-tag')).toBeVisible();
    await page.getByTestId('cluster-activate').click();
    await step(page, 'crypto-user');
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
