import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { HsmModuleClient } from '../../electron/main/hsm/client';
import { createNodeWorkerLauncher } from '../../electron/main/hsm/node-launcher';
import { keyObjectLabel } from '../../electron/main/services/clusters/cluster-objects';
import { objectIdOfVersion } from '../../electron/main/services/keys/key-identifiers';
import { SOFTHSM_MODULE_PATH } from '../support/softhsm';
import { KeyStoresPage } from '../../testing';
import { expect, screen, test } from './fixtures';
import { consoleOpen, PASSWORD } from './steps';

test('reconcile the default key store: an orphan a crash left is reported, then destroyed on request', async ({ page, keyward, kms }) => {
  await consoleOpen(page);
  await kms.call('CreateKey', { KeySpec: 'Aliyun_AES_256' });
  const events = await kms.call('ListAuditEvents', { Filters: [{ Key: 'Operation', Values: ['InitializeDefaultKeyStore'] }] });
  const serial = String(events.Events[0]?.Details.TokenSerial ?? '');
  // What a crash between C_GenerateKey and the registry commit leaves: a key object under Keyward's id scheme, no row.
  const versionId = randomUUID();
  const orphanId = objectIdOfVersion(versionId);
  const outside = new HsmModuleClient(
    { path: SOFTHSM_MODULE_PATH, env: { SOFTHSM2_CONF: path.join(keyward.dataDir, 'softhsm', 'softhsm2.conf') } },
    { launcher: createNodeWorkerLauncher() },
  );
  try {
    await outside.login({ serial, userPin: PASSWORD });
    await outside.generateKey({ serial, objectId: orphanId, label: keyObjectLabel(randomUUID(), versionId), spec: { kind: 'AES', bits: 256 }, policy: { wrapWithTrusted: false, extractable: false } });
  } finally {
    await outside.close();
  }

  const keyStores = new KeyStoresPage(page);
  await keyStores.open();
  const store = await keyStores.openStore();
  const reconcile = await store.openReconcile();
  await screen(page, '70-reconcile-dialog');
  await reconcile.run();
  await expect(reconcile.orphans).toHaveCount(1);
  await expect(reconcile.orphans).toContainText(orphanId);
  await expect(reconcile.tokenOrphans).toHaveText('1');
  await expect(reconcile.clean).toHaveCount(0);
  await screen(page, '71-reconcile-orphan-found');

  await reconcile.removeOrphans();
  await expect(reconcile.removed).toContainText('1 orphan object destroyed');
  await expect(reconcile.orphans).toHaveAttribute('data-removed', 'true');
  await expect(reconcile.removeButton).toHaveCount(0);
  await screen(page, '72-reconcile-orphan-removed');

  await reconcile.close();
  await store.openReconcile();
  await reconcile.run();
  await expect(reconcile.clean).toContainText('1 key version checked on 1 token');
});
