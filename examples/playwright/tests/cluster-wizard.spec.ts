import { ClusterWizardPage, expect, test } from 'keyward/testing';
import { shot } from './shots';

const SO_PIN = 'Dry-run-SO-4471';
const KMSUSER_PASSWORD = 'Dry-run-kmsuser-88';

// Two SoftHSM2 "devices", each with a blank token, registered before the test starts.
test.use({ tokens: ['Vault A', 'Vault B'] });

test('the cluster wizard builds a two-zone key store and its first key', async ({ page, kms, keyward }) => {
  expect(keyward.tokens.map((token) => token.name)).toEqual(['Vault A', 'Vault B']);
  const wizard = new ClusterWizardPage(page);
  await wizard.start();

  // Each step waits for the next one; the slow ones (on the HSMs) wait longer.
  await wizard.expectStep('cluster');
  await wizard.fillCluster({ name: 'ceremony-cluster', description: 'Dry run: two vaults, two zones' });
  await wizard.createCluster();

  await wizard.addHsm('Vault A', 'zone-a');
  await wizard.addHsm('Vault B', 'zone-b');
  await expect(wizard.hsmItems).toHaveCount(2);
  await shot(page, 'wizard-hsms');
  await wizard.continueFromHsms();

  await wizard.fillSoPin(SO_PIN);
  await wizard.initialize();
  await wizard.activate();

  await wizard.fillCryptoUser(KMSUSER_PASSWORD, SO_PIN);
  await wizard.createCryptoUser();

  await wizard.fillKeyStore('ceremony-store', KMSUSER_PASSWORD);
  // The wizard connects the new store itself when it can; otherwise it asks for the password.
  if ((await wizard.createKeyStore()) === 'connect') await wizard.connect(KMSUSER_PASSWORD);
  await wizard.expectStep('first-key', 60_000);
  await wizard.createFirstKey();
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
