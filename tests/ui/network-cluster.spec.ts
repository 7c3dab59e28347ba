import type { Page } from '@playwright/test';
import { P11KIT_CLIENT_PATH, startP11KitServer, type P11KitServer } from '../support/p11kit-server';
import { expect, screen, test, type KmsClient } from './fixtures';
import { consoleOpen, visibleOptions } from './steps';

const SO_PIN = 'Officer-SO-8812';
const KMSUSER_PASSWORD = 'Kmsuser2024vault';
const NEW_PASSWORD = 'Kmsuser2025rotated';

// A spare SoftHSM2 module (the kit registers it before the test), unused by the cluster, to deregister.
test.use({ tokens: ['Spare SoftHSM'] });

/**
 * Test-only set-up through the host's operations (the wizard has its own suite): a cluster of two
 * network HSMs, each a real `p11-kit server` over its own SoftHSM2 token, with a connected key store.
 */
async function bringUpNetworkCluster(kms: KmsClient, servers: readonly P11KitServer[]): Promise<{ clusterId: string; keyStoreId: string }> {
  const { ClusterId } = await kms.call('CreateCluster', { ClusterName: 'net-cluster', Description: 'Two p11-kit servers', AllowSingleHsm: false });
  for (const [index, server] of servers.entries()) {
    const { ModuleId } = await kms.call('RegisterModule', {
      Path: P11KIT_CLIENT_PATH,
      Name: `p11-kit ${server.label}`,
      Environment: server.clientEnvironment,
    });
    await kms.call('CreateHsm', { ClusterId, ModuleId, TokenSerial: server.serial, Zone: `zone-${index}` });
  }
  const { ClusterOwnerCertificate } = await kms.call('InitializeCluster', { ClusterId, SoPin: SO_PIN });
  await kms.call('CreateCryptoUser', { ClusterId, UserName: 'kmsuser', Password: KMSUSER_PASSWORD, SoPin: SO_PIN });
  await kms.call('ActivateCluster', { ClusterId });
  const { KeyStoreId } = await kms.call('CreateKeyStore', {
    KeyStoreName: 'net-store',
    ClusterId,
    KeyStorePassword: KMSUSER_PASSWORD,
    TrustAnchorCertificate: ClusterOwnerCertificate,
  });
  await kms.call('ConnectKeyStore', { KeyStoreId, KeyStorePassword: KMSUSER_PASSWORD });
  return { clusterId: ClusterId, keyStoreId: KeyStoreId };
}

async function openCluster(page: Page, clusterId: string): Promise<void> {
  await page.getByTestId('nav-clusters').click();
  await page.getByTestId('cluster-link').click();
  await expect(page).toHaveURL(new RegExp(`#/clusters/${clusterId}$`));
  await expect(page.getByTestId('topology-hsm')).toHaveCount(2);
}

test('a network cluster: modules in use, kmsuser password change, specs it cannot hold, DEGRADED when a member is lost, sync when it is back', async ({ page, kms }) => {
  test.setTimeout(300_000);
  const servers = await Promise.all([
    startP11KitServer({ label: 'ui-net-hsm-a', soPin: SO_PIN }),
    startP11KitServer({ label: 'ui-net-hsm-b', soPin: SO_PIN }),
  ]);
  try {
    await consoleOpen(page);
    const { clusterId, keyStoreId } = await bringUpNetworkCluster(kms, servers);

    // Modules: one that serves a member is refused, an unused one goes.
    await page.getByTestId('nav-clusters').click();
    const modules = page.getByTestId('clusters-modules');
    await expect(modules.getByTestId('module-item')).toHaveCount(4);
    await modules.getByTestId('module-item').filter({ hasText: 'p11-kit ui-net-hsm-a' }).getByTestId('module-deregister').click();
    await page.getByRole('button', { name: 'Deregister', exact: true }).click();
    await expect(page.getByTestId('module-deregister-error')).toContainText('p11-kit ui-net-hsm-a is still in use');
    await expect(modules.getByTestId('module-item')).toHaveCount(4);
    await screen(page, '60-module-in-use');
    await modules.getByTestId('module-item').filter({ hasText: 'Spare SoftHSM' }).getByTestId('module-deregister').click();
    await page.getByRole('button', { name: 'Deregister', exact: true }).click();
    await expect(modules.getByTestId('module-item')).toHaveCount(3);
    await expect(modules).not.toContainText('Spare SoftHSM');

    // kmsuser password: a wrong current password changes nothing; the right one changes every member.
    await openCluster(page, clusterId);
    await expect(page.getByTestId('cluster-topology').getByTestId('cluster-state')).toHaveText('ACTIVE');
    await page.getByTestId('crypto-user-change-password').click();
    await page.getByTestId('crypto-user-old-password').fill('NotThePassword1');
    await page.getByTestId('crypto-user-new-password').fill(NEW_PASSWORD);
    await page.getByTestId('crypto-user-new-password-confirm').fill(NEW_PASSWORD);
    await page.getByTestId('change-password-submit').click();
    await expect(page.getByTestId('change-password-error')).toContainText('PinIncorrect');
    await expect(page.getByTestId('crypto-user-old-password')).toHaveValue('');
    await expect(page.getByTestId('crypto-user-new-password')).toHaveValue('');
    await page.getByTestId('crypto-user-old-password').fill(KMSUSER_PASSWORD);
    await page.getByTestId('crypto-user-new-password').fill(NEW_PASSWORD);
    await page.getByTestId('crypto-user-new-password-confirm').fill(NEW_PASSWORD);
    await page.getByTestId('change-password-submit').click();
    const members = page.getByTestId('change-password-member');
    await expect(members).toHaveCount(2);
    for (const member of await members.all()) await expect(member).toHaveAttribute('data-status', 'CHANGED');
    await expect(members.filter({ hasText: 'ui-net-hsm-a · zone-0' })).toHaveCount(1);
    await screen(page, '61-kmsuser-password-changed');
    await page.getByRole('button', { name: 'Close', exact: true }).click();

    // The key store: renamed; its create-key choices leave out what network members cannot hold.
    await page.getByTestId('cluster-keystore-link').click();
    await expect(page).toHaveURL(new RegExp(`#/keystores/${keyStoreId}$`));
    await page.getByTestId('keystore-rename').click();
    await page.getByTestId('keystore-rename-input').fill('net-store-renamed');
    await page.getByTestId('keystore-rename-save').click();
    await expect(page.getByTestId('keystore-display-name')).toHaveText('net-store-renamed');
    await screen(page, '62a-keystore-renamed');
    await page.getByTestId('nav-keys').click();
    await page.getByTestId('create-key-button').click();
    await page.getByTestId('create-key-store').click();
    await visibleOptions(page).filter({ hasText: 'net-store-renamed' }).click();
    await expect(page.getByTestId('create-key-aes-note')).toContainText('Encrypt, Decrypt and GenerateDataKey');
    await screen(page, '62b-create-key-aes-note');
    await page.getByTestId('create-key-spec').click();
    await expect(visibleOptions(page).filter({ hasText: 'RSA_2048' })).toHaveClass(/n-base-select-option--disabled/);
    await expect(visibleOptions(page).filter({ hasText: /^EC_P256 \(/ })).toHaveClass(/n-base-select-option--disabled/);
    await expect(visibleOptions(page).filter({ hasText: 'HMAC_SHA256' })).not.toHaveClass(/n-base-select-option--disabled/);
    await screen(page, '62-create-key-network-cluster');
    await visibleOptions(page).filter({ hasText: 'HMAC_SHA256' }).click();
    await expect(page.getByTestId('create-key-aes-note')).toHaveCount(0);
    await page.keyboard.press('Escape');

    // A member lost: probing shows it unreachable and the cluster DEGRADED.
    await servers[1]?.kill();
    await openCluster(page, clusterId);
    await page.getByTestId('cluster-refresh').click();
    await expect(page.getByTestId('cluster-topology').getByTestId('cluster-state')).toHaveText('DEGRADED', { timeout: 30_000 });
    await expect(page.getByTestId('cluster-degraded')).toBeVisible();
    const zone = (name: string) => page.getByTestId('topology-zone').filter({ hasText: name }).getByTestId('topology-hsm');
    await expect(zone('zone-1')).toHaveAttribute('data-health', 'UNREACHABLE');
    await expect(zone('zone-0')).toHaveAttribute('data-health', 'HEALTHY');
    await expect(page.getByTestId('cluster-degraded')).toContainText('ui-net-hsm-b');
    await screen(page, '63-cluster-degraded');

    // Back again: a key made meanwhile reaches it when the officer syncs with the kmsuser password.
    await kms.call('CreateKey', { KeySpec: 'HMAC_SHA256', KeyUsage: 'GENERATE/VERIFY_MAC', KeyStoreId: keyStoreId });
    await servers[1]?.start();
    await page.getByTestId('cluster-sync').click();
    await page.getByTestId('cluster-sync-password').fill(NEW_PASSWORD);
    await screen(page, '64a-cluster-sync-dialog');
    await page.getByTestId('cluster-sync-submit').click();
    const report = page.getByTestId('cluster-sync-report');
    await expect(report.getByTestId('cluster-state')).toHaveText('ACTIVE', { timeout: 30_000 });
    const rows = report.getByTestId('cluster-sync-member');
    await expect(rows).toHaveCount(2);
    for (const row of await rows.all()) await expect(row).toHaveAttribute('data-connected', 'true');
    await expect(rows.filter({ hasText: 'ui-net-hsm-b · zone-1' })).toHaveCount(1);
    expect((await report.getByTestId('cluster-sync-replicated').allTextContents()).sort()).toEqual(['0', '1']);
    await expect(report.getByTestId('cluster-sync-repaired')).toHaveText(['0', '0']);
    await expect(page.getByTestId('cluster-sync-password')).toHaveCount(0);
    await screen(page, '64-cluster-synced');
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(page.getByTestId('cluster-topology').getByTestId('cluster-state')).toHaveText('ACTIVE');
    await expect(page.getByTestId('cluster-degraded')).toHaveCount(0);
  } finally {
    await Promise.all(servers.map((server) => server.cleanup()));
  }
});
