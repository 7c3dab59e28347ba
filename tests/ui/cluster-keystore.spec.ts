import type { Page } from '@playwright/test';
import { expect, screen, test, type KmsClient } from './fixtures';
import { consoleOpen } from './steps';

const SO_PIN = 'Officer-SO-5521';
const KMSUSER_PASSWORD = 'Kmsuser2026store';

/** A lab cluster taken up to ActivateCluster and kmsuser over the host's operations: the wizard left before its key store step. */
async function activatedClusterWithoutStore(kms: KmsClient, moduleId: string, name: string): Promise<string> {
  const { ClusterId } = await kms.call('CreateCluster', { ClusterName: name, Description: 'left before the key store step', AllowSingleHsm: true });
  const { Module } = await kms.call('DescribeModule', { ModuleId: moduleId });
  const slot = Module.Slots.find((candidate) => candidate.Token && !candidate.Token.Initialized);
  if (!slot) throw new Error('the lab HSM has no blank token');
  await kms.call('CreateHsm', { ClusterId, ModuleId: moduleId, Zone: 'lab-zone', SlotId: slot.SlotId });
  await kms.call('InitializeCluster', { ClusterId, SoPin: SO_PIN });
  await kms.call('CreateCryptoUser', { ClusterId, UserName: 'kmsuser', Password: KMSUSER_PASSWORD, SoPin: SO_PIN });
  await kms.call('ActivateCluster', { ClusterId });
  return ClusterId;
}

// A blank SoftHSM2 token, registered as a module by the kit before the test starts.
test.use({ tokens: ['SoftHSM store lab'] });

function storeRow(page: Page, name: string) {
  return page.getByTestId('keystores-table').locator('tr', { hasText: name });
}

test('an active cluster without a key store gets one from the Key stores page and from the cluster page', async ({ page, kms, keyward }) => {
  test.setTimeout(240_000);
  await consoleOpen(page);
  const moduleId = keyward.tokens[0]?.moduleId ?? '';
  const clusterId = await activatedClusterWithoutStore(kms, moduleId, 'storeless-lab');

  // Key stores page: the cluster is offered, the dialog reuses the wizard's form with the owner certificate filled in.
  await page.getByTestId('nav-keystores').click();
  await expect(page.getByTestId('keystores-storeless-cluster')).toHaveAttribute('data-cluster', 'storeless-lab');
  await screen(page, 'p16e-keystores-storeless');
  await page.getByTestId('keystores-create').click();
  const dialog = page.getByTestId('create-keystore-dialog');
  await expect(dialog.getByTestId('keystore-trust-anchor')).toHaveValue(/-----BEGIN CERTIFICATE-----/);
  await expect(dialog.getByTestId('keystore-name')).toHaveValue('storeless-lab-store');

  // The contract's validation: a name CreateKeyStore would refuse is shown and blocks the action.
  await dialog.getByTestId('keystore-name').fill('lab/store');
  await dialog.getByTestId('keystore-password').fill(KMSUSER_PASSWORD);
  await expect(dialog.getByText('The name must be letters, digits, space, . _ -.')).toBeVisible();
  await expect(page.getByTestId('create-keystore-submit')).toBeDisabled();
  await dialog.getByTestId('keystore-name').fill('lab-store-1');

  // The service's refusal stays in the dialog, and the password field is emptied.
  await dialog.getByTestId('keystore-password').fill('WrongPassword99');
  await page.getByTestId('create-keystore-submit').click();
  await expect(page.getByTestId('create-keystore-error')).toContainText('HsmError.PinIncorrect');
  await expect(dialog.getByTestId('keystore-password')).toHaveValue('');
  await screen(page, 'p16e-create-keystore-refused');

  await page.waitForTimeout(1_500); // the first login back-off after a wrong password
  await dialog.getByTestId('keystore-password').fill(KMSUSER_PASSWORD);
  await screen(page, 'p16e-create-keystore-dialog');
  await page.getByTestId('create-keystore-submit').click();
  await expect(dialog).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByTestId('keystores-storeless')).toHaveCount(0);

  // CONNECTED-able: the new store logs in to its HSM as kmsuser.
  const row = storeRow(page, 'lab-store-1');
  await expect(row).toContainText('DISCONNECTED');
  await row.getByTestId('keystore-connect').click();
  await page.getByTestId('connect-password').fill(KMSUSER_PASSWORD);
  await page.getByTestId('connect-submit').click();
  await expect(row).toContainText('CONNECTED');
  await expect(row).not.toContainText('DISCONNECTED');
  await screen(page, 'p16e-keystores-created');

  // The store deleted (disconnected, empty): the cluster page offers the action again; Enter submits the form.
  const { KeyStoreId } = (await kms.call('DescribeCluster', { ClusterId: clusterId })).Cluster;
  if (!KeyStoreId) throw new Error('the cluster should be bound to the new store');
  await kms.call('DisconnectKeyStore', { KeyStoreId });
  await kms.call('DeleteKeyStore', { KeyStoreId });
  await page.getByTestId('nav-clusters').click();
  await page.getByTestId('cluster-link').click();
  await expect(page.getByTestId('cluster-create-keystore')).toBeVisible();
  await screen(page, 'p16e-cluster-page-storeless');
  await page.getByTestId('cluster-create-keystore').click();
  await expect(dialog.getByTestId('keystore-trust-anchor')).toHaveValue(/-----BEGIN CERTIFICATE-----/);
  await dialog.getByTestId('keystore-name').fill('lab-store-2');
  await dialog.getByTestId('keystore-password').fill(KMSUSER_PASSWORD);
  await dialog.getByTestId('keystore-password').press('Enter');
  await expect(dialog).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByTestId('cluster-keystore-link')).toHaveText('lab-store-2');
  await expect(page.getByTestId('cluster-create-keystore')).toHaveCount(0);
  await screen(page, 'p16e-cluster-page-created');
});
