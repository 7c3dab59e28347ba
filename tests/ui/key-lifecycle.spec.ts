import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KeyDetailPage, KeysPage } from '../../testing';
import { expect, screen, test } from './fixtures';
import { consoleOpen, visibleOptions } from './steps';

const SPECS: readonly [string, string][] = [
  ['Aliyun_AES_256', 'ENCRYPT/DECRYPT'],
  ['Aliyun_AES_128', 'ENCRYPT/DECRYPT'],
  ['Aliyun_AES_192', 'ENCRYPT/DECRYPT'],
  ['RSA_2048', 'ENCRYPT/DECRYPT'],
  ['RSA_3072', 'SIGN/VERIFY'],
  ['RSA_4096', 'SIGN/VERIFY'],
  ['EC_P256', 'SIGN/VERIFY'],
  ['EC_P256K', 'SIGN/VERIFY'],
  ['HMAC_SHA256', 'GENERATE/VERIFY_MAC'],
  ['HMAC_SHA512', 'GENERATE/VERIFY_MAC'],
];

/** RSA-OAEP (SHA-1) of `material` under a base64 DER public key, with openssl as an officer would. */
async function wrapWithOpenssl(publicKeyDerBase64: string, material: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'keyward-wrap-'));
  try {
    const keyFile = path.join(dir, 'wrapping.der');
    const inFile = path.join(dir, 'material.bin');
    await writeFile(keyFile, Buffer.from(publicKeyDerBase64, 'base64'));
    await writeFile(inFile, material);
    const wrapped = execFileSync('openssl', [
      'pkeyutl', '-encrypt', '-pubin', '-keyform', 'DER', '-inkey', keyFile, '-in', inFile,
      '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha1',
    ]);
    return wrapped.toString('base64');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The README's key pair recipe: a P-256 key from openssl genpkey as PKCS#8, under an AES-256 key
 * wrap; that AES key under RSA-OAEP (SHA-1) with the base64 DER wrapping key; both concatenated.
 */
async function wrapPrivateKeyWithOpenssl(publicKeyDerBase64: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'keyward-wrap-pair-'));
  try {
    await writeFile(path.join(dir, 'wrap.der'), Buffer.from(publicKeyDerBase64, 'base64'));
    const script = [
      'openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out private.pem',
      'openssl pkcs8 -topk8 -nocrypt -in private.pem -outform DER -out private.der',
      'openssl rand -out aes.key 32',
      `openssl enc -id-aes256-wrap-pad -iv A65959A6 -K "$(od -An -v -tx1 aes.key | tr -d ' \\n')" -in private.der -out private.wrapped`,
      'openssl pkeyutl -encrypt -pubin -keyform DER -inkey wrap.der -in aes.key -out aes.wrapped -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha1 -pkeyopt rsa_mgf1_md:sha1',
      'cat aes.wrapped private.wrapped | base64 -w0',
    ].join('\n');
    return execFileSync('sh', ['-ec', script], { cwd: dir, encoding: 'utf8' }).trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('creates one key of each spec through the dialog and filters them', async ({ page }) => {
  test.setTimeout(240_000);
  await consoleOpen(page);
  const keys = new KeysPage(page);
  const detail = new KeyDetailPage(page);
  const ids = new Map<string, string>();
  for (const [spec, usage] of SPECS) {
    const keyId = await keys.createKey({ spec, usage, description: `UI test ${spec}` });
    await expect(detail.field('KeyUsage')).toHaveText(usage);
    await expect(detail.state).toHaveText('Enabled');
    ids.set(spec, keyId);
  }
  // One crypto panel per operation the key allows.
  await detail.goto(ids.get('HMAC_SHA512') ?? '-', 'crypto');
  await detail.macPanel.generate('ceremony minutes');
  await expect(detail.macPanel.mac).toHaveText(/^[A-Za-z0-9+/]{86}==$/);
  await detail.macPanel.verify();
  await expect(detail.macPanel.verdict).toHaveAttribute('data-valid', 'true');
  await screen(page, '20-hmac-panel');

  await detail.goto(ids.get('RSA_2048') ?? '-', 'crypto');
  await detail.asymmetricPanel.encrypt('wrapped for the vault');
  await expect(detail.asymmetricPanel.ciphertext).toHaveText(/^[A-Za-z0-9+/]{342}==$/);
  await detail.asymmetricPanel.decrypt();
  await expect(detail.asymmetricPanel.decrypted).toHaveText('wrapped for the vault');
  await screen(page, '21-rsa-oaep-panel');

  await detail.goto(ids.get('Aliyun_AES_128') ?? '-', 'crypto');
  await expect(detail.encryptPanel.root).toBeVisible();
  await detail.dataKeyPanel.generate();
  await expect(detail.dataKeyPanel.plaintext).toHaveText(/^[A-Za-z0-9+/]{43}=$/);
  await expect(detail.dataKeyPanel.ciphertext).toBeVisible();
  await screen(page, '22-aes-panels');

  await keys.open();
  await expect(keys.count).toContainText('10 keys');
  await expect(keys.rows).toHaveCount(10);
  await screen(page, '23-keys-every-spec');
  await keys.filterBy('usage', 'GENERATE/VERIFY_MAC');
  await expect(keys.count).toContainText('2 keys');
  await expect(keys.row(ids.get('HMAC_SHA256') ?? '-')).toHaveCount(1);
  await keys.search.fill(ids.get('HMAC_SHA512')?.slice(0, 13) ?? '-');
  await expect(keys.count).toContainText('1 key');
  await screen(page, '24-keys-filtered');
  await keys.clearFilters();
  await expect(keys.count).toContainText('10 keys');
});

test('imports external key material through the wizard', async ({ page }) => {
  await consoleOpen(page);
  const keys = new KeysPage(page);
  const detail = new KeyDetailPage(page);
  const dialog = await keys.openCreateDialog();
  await dialog.chooseExternalOrigin();
  await expect(dialog.externalNote).toContainText('PendingImport');
  await screen(page, '25-create-external-key');
  await dialog.cancel();

  const keyId = await keys.createKey({ spec: 'Aliyun_AES_256', external: true, description: 'Imported vault key' });
  await expect(detail.state).toHaveText('PendingImport');
  await expect(detail.statePicture).toHaveAttribute('data-state', 'PendingImport');
  await screen(page, '26-key-pending-import');

  await detail.startTransition('import-material');
  await expect(detail.tab('import')).toHaveClass(/n-tabs-tab--active/);
  await page.getByTestId('import-get-parameters').click();
  const publicKey = (await page.getByTestId('import-public-key').textContent())?.trim() ?? '';
  expect(publicKey).toMatch(/^MII[A-Za-z0-9+/]+=*$/);
  await expect(page.getByTestId('import-token-expiry')).toHaveAttribute('data-expired', 'false');
  await expect(page.getByTestId('import-token-expiry')).toContainText(/2[34] h \d+ min left/);
  const download = page.waitForEvent('download');
  await page.getByTestId('import-download-der').click();
  expect((await download).suggestedFilename()).toBe(`${keyId}-wrapping-key.der`);

  const wrapped = await wrapWithOpenssl(publicKey, randomBytes(32));
  await page.getByTestId('import-encrypted-material').fill(wrapped);
  await screen(page, '27-import-wizard');
  await page.getByTestId('import-submit').click();
  await expect(detail.state).toHaveText('Enabled');
  await expect(detail.field('Origin')).toHaveText('EXTERNAL');

  // The imported material encrypts and decrypts.
  await detail.openTab('crypto');
  await detail.encryptPanel.roundTrip('sealed with imported material');
  await screen(page, '28-imported-key-in-use');

  // EXTERNAL is offered exactly for the specs CreateKey accepts it for (one shared list): HMAC and key pairs too, not Ed25519.
  await keys.openCreateDialog();
  await dialog.chooseSpec('EC_ED25519');
  await dialog.origin.click();
  await expect(visibleOptions(page)).toHaveCount(1);
  await page.keyboard.press('Escape');
  await dialog.cancel();
  await keys.createKey({ spec: 'HMAC_SHA256', usage: 'GENERATE/VERIFY_MAC', external: true, description: 'Imported MAC key' });
  await expect(detail.state).toHaveText('PendingImport');

  // A key pair: the panel offers RSA_AES_KEY_WRAP_SHA_1 and shows the openssl recipe; the PKCS#8 comes in.
  await keys.createKey({ spec: 'EC_P256', usage: 'SIGN/VERIFY', external: true, description: 'Imported signing key' });
  await detail.startTransition('import-material');
  await expect(page.getByTestId('import-algorithm')).toContainText('RSA_AES_KEY_WRAP_SHA_1');
  await page.getByTestId('import-get-parameters').click();
  await expect(page.getByTestId('import-wrap-command')).toContainText('openssl enc -id-aes256-wrap-pad -iv A65959A6');
  const pairWrappingKey = (await page.getByTestId('import-public-key').textContent())?.trim() ?? '';
  await page.getByTestId('import-encrypted-material').fill(await wrapPrivateKeyWithOpenssl(pairWrappingKey));
  await screen(page, '29-import-key-pair');
  await page.getByTestId('import-submit').click();
  await expect(detail.state).toHaveText('Enabled');
});

test('disables, schedules and cancels a deletion with confirmations that name the key', async ({ page }) => {
  await consoleOpen(page);
  const keyId = await new KeysPage(page).createKey({ spec: 'Aliyun_AES_256', description: 'Backup encryption key' });
  const detail = new KeyDetailPage(page);

  await detail.startTransition('disable');
  await expect(detail.transitionDialog).toContainText(keyId);
  await expect(detail.transitionConsequence).toContainText('refused until it is enabled again');
  await detail.confirmTransition();
  await expect(detail.state).toHaveText('Disabled');
  await detail.enable();

  await detail.startTransition('schedule-deletion');
  await expect(detail.transitionDialog).toContainText(keyId);
  await expect(detail.transitionDialog).toContainText('Backup encryption key');
  await expect(detail.transitionConsequence).toContainText('can never be decrypted');
  await detail.setPendingWindow(5);
  await expect(detail.transitionDialog).toContainText('7-366 days');
  await detail.setPendingWindow(7);
  await screen(page, '29-schedule-deletion-confirm');
  await detail.confirmTransition();
  await expect(detail.state).toHaveText('PendingDeletion');
  await expect(detail.statePicture).toHaveAttribute('data-state', 'PendingDeletion');
  await expect(detail.field('DeleteDate')).toHaveText(/UTC$/);
  await screen(page, '30-key-pending-deletion');

  await detail.cancelDeletion();
  await expect(detail.field('DeleteDate')).toHaveText('—');
  await screen(page, '31-key-deletion-cancelled');

  // The same again in one step each, as a procedure would drive it.
  await detail.disable();
  await detail.enable();
  await detail.scheduleDeletion(30);
  await expect(detail.field('DeleteDate')).toHaveText(/UTC$/);
});

test('rotates a key and manages its aliases and tags', async ({ page }) => {
  await consoleOpen(page);
  const keys = new KeysPage(page);
  const detail = new KeyDetailPage(page);
  const keyId = await keys.createKey({ spec: 'Aliyun_AES_256', description: 'UI test Aliyun_AES_256' });

  await detail.openTab('versions');
  await expect(page.getByTestId('key-versions-table').locator('tbody tr')).toHaveCount(1);
  await page.getByTestId('key-create-version').click();
  await expect(page.getByTestId('key-versions-table').locator('tbody tr')).toHaveCount(2);
  await page.getByTestId('rotation-enabled').click();
  await page.getByTestId('rotation-days').fill('90');
  await page.getByTestId('rotation-save').click();
  await expect(page.getByTestId('key-versions')).toContainText('Enabled');
  await screen(page, '32-key-versions');

  await detail.openTab('aliases');
  await page.getByTestId('alias-name').fill('alias/ui-backup');
  await page.getByTestId('alias-add').click();
  await expect(page.getByTestId('alias-item')).toContainText('alias/ui-backup');

  await detail.openTab('tags');
  await page.getByTestId('tag-key').fill('owner');
  await page.getByTestId('tag-value').fill('vault-team');
  await page.getByTestId('tag-add').click();
  await expect(page.getByTestId('tag-item')).toContainText('vault-team');
  await screen(page, '33-key-tags');

  await keys.open();
  await expect(keys.row(keyId)).toContainText('alias/ui-backup');
});
