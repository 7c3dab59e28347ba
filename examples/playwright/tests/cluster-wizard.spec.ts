import type { Page } from '@playwright/test';
import { choose, expect, SOFTHSM_MODULE, test, visibleOptions } from 'keyward/testing';
import { shot } from './shots';

const SO_PIN = 'Dry-run-SO-4471';
const KMSUSER_PASSWORD = 'Dry-run-kmsuser-88';

// Two SoftHSM2 "devices", each with a blank token, registered before the test starts.
test.use({ tokens: ['Vault A', 'Vault B'] });

async function expectStep(page: Page, step: string, timeout = 30_000): Promise<void> {
  await expect(page.getByTestId('wizard-panel')).toHaveAttribute('data-step', step, { timeout });
}

async function addHsm(page: Page, moduleName: string, zone: string): Promise<void> {
  await choose(page, 'hsm-module', `${moduleName} — ${SOFTHSM_MODULE}`);
  await page.getByTestId('hsm-token').click();
  await visibleOptions(page).filter({ hasText: /blank token/ }).first().click();
  await page.getByTestId('hsm-zone').fill(zone);
  await page.getByTestId('hsm-add').click();
}

test('the cluster wizard builds a two-zone key store and its first key', async ({ page, kms, keyward }) => {
  expect(keyward.tokens.map((token) => token.name)).toEqual(['Vault A', 'Vault B']);
  await page.getByTestId('nav-clusters').click();
  await page.getByTestId('cluster-setup-start').click();

  await expectStep(page, 'cluster');
  await page.getByTestId('cluster-name').fill('ceremony-cluster');
  await page.getByTestId('cluster-description').fill('Dry run: two vaults, two zones');
  await page.getByTestId('cluster-create').click();

  await expectStep(page, 'hsms');
  await addHsm(page, 'Vault A', 'zone-a');
  await addHsm(page, 'Vault B', 'zone-b');
  await expect(page.getByTestId('hsm-item')).toHaveCount(2);
  await shot(page, 'wizard-hsms');
  await page.getByTestId('wizard-hsms-next').click();

  await expectStep(page, 'initialize');
  await page.getByTestId('so-pin').fill(SO_PIN);
  await page.getByTestId('so-pin-confirm').fill(SO_PIN);
  await page.getByTestId('cluster-initialize').click();

  await expectStep(page, 'activate', 120_000);
  await page.getByTestId('cluster-activate').click();

  await expectStep(page, 'crypto-user');
  await page.getByTestId('kmsuser-password').fill(KMSUSER_PASSWORD);
  await page.getByTestId('kmsuser-password-confirm').fill(KMSUSER_PASSWORD);
  await page.getByTestId('crypto-user-so-pin').fill(SO_PIN);
  await page.getByTestId('crypto-user-create').click();

  await expectStep(page, 'key-store', 60_000);
  await page.getByTestId('keystore-name').fill('ceremony-store');
  await page.getByTestId('keystore-password').fill(KMSUSER_PASSWORD);
  await page.getByTestId('keystore-create').click();

  // The wizard connects the new store itself when it can; otherwise it asks for the password.
  await expect(page.getByTestId('wizard-panel')).toHaveAttribute('data-step', /^(connect|first-key)$/, { timeout: 60_000 });
  if ((await page.getByTestId('wizard-panel').getAttribute('data-step')) === 'connect') {
    await page.getByTestId('wizard-connect-password').fill(KMSUSER_PASSWORD);
    await page.getByTestId('wizard-connect').click();
  }
  await expectStep(page, 'first-key', 60_000);
  await page.getByTestId('first-key-create').click();
  await expectStep(page, 'done', 60_000);
  await shot(page, 'wizard-done');

  // The core agrees: an active two-HSM cluster, its store connected and holding the first key.
  const { Clusters } = await kms.call('DescribeClusters', {});
  expect(Clusters).toHaveLength(1);
  expect(Clusters[0]?.State).toBe('ACTIVE');
  const { KeyStores } = await kms.call('DescribeKeyStores', {});
  const store = KeyStores.find((candidate) => candidate.KeyStoreName === 'ceremony-store');
  expect(store?.ConnectionState).toBe('CONNECTED');
  expect(store?.KeyCount).toBe(1);
});
