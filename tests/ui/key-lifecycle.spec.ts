import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, screen, test } from './fixtures';
import { choose, createKey, firstRun, openKeyTab, visibleOptions } from './steps';

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

test('creates one key of each spec through the dialog and filters them', async ({ page, host }) => {
  test.setTimeout(240_000);
  await firstRun(page, host);
  const ids = new Map<string, string>();
  for (const [spec, usage] of SPECS) {
    const keyId = await createKey(page, spec, usage);
    await expect(page.getByTestId('key-detail-metadata').locator('[data-field="KeyUsage"]')).toHaveText(usage);
    await expect(page.getByTestId('key-detail-state')).toHaveText('Enabled');
    ids.set(spec, keyId);
  }
  // One crypto panel per operation the key allows.
  await page.goto(`${new URL(host.url).origin}/#/keys/${ids.get('HMAC_SHA512')}?tab=crypto`);
  await page.getByTestId('mac-message').fill('ceremony minutes');
  await page.getByTestId('mac-generate').click();
  await expect(page.getByTestId('mac-output')).toHaveText(/^[A-Za-z0-9+/]{86}==$/);
  await page.getByTestId('mac-verify').click();
  await expect(page.getByTestId('mac-result')).toHaveAttribute('data-valid', 'true');
  await screen(page, '20-hmac-panel');

  await page.goto(`${new URL(host.url).origin}/#/keys/${ids.get('RSA_2048')}?tab=crypto`);
  await page.getByTestId('asym-plaintext').fill('wrapped for the vault');
  await page.getByTestId('asym-encrypt').click();
  await expect(page.getByTestId('asym-ciphertext')).toHaveText(/^[A-Za-z0-9+/]{342}==$/);
  await page.getByTestId('asym-decrypt').click();
  await expect(page.getByTestId('asym-plaintext-output')).toHaveText('wrapped for the vault');
  await screen(page, '21-rsa-oaep-panel');

  await page.goto(`${new URL(host.url).origin}/#/keys/${ids.get('Aliyun_AES_128')}?tab=crypto`);
  await expect(page.getByTestId('encrypt-panel')).toBeVisible();
  await page.getByTestId('data-key-generate').click();
  await expect(page.getByTestId('data-key-plaintext')).toHaveText(/^[A-Za-z0-9+/]{43}=$/);
  await expect(page.getByTestId('data-key-ciphertext')).toBeVisible();
  await screen(page, '22-aes-panels');

  await page.getByTestId('nav-keys').click();
  await expect(page.getByTestId('keys-count')).toContainText('10 keys');
  await expect(page.getByTestId('key-row')).toHaveCount(10);
  await screen(page, '23-keys-every-spec');
  await choose(page, 'keys-filter-usage', 'GENERATE/VERIFY_MAC');
  await expect(page.getByTestId('keys-count')).toContainText('2 keys');
  await expect(page.getByTestId('key-row').filter({ hasText: ids.get('HMAC_SHA256') ?? '-' })).toHaveCount(1);
  await page.getByTestId('keys-search').fill(ids.get('HMAC_SHA512')?.slice(0, 13) ?? '-');
  await expect(page.getByTestId('keys-count')).toContainText('1 key');
  await screen(page, '24-keys-filtered');
  await page.getByTestId('keys-filter-clear').click();
  await expect(page.getByTestId('keys-count')).toContainText('10 keys');
});

test('imports external key material through the wizard', async ({ page, host }) => {
  await firstRun(page, host);
  await page.getByTestId('create-key-button').click();
  await choose(page, 'create-key-origin', 'EXTERNAL: key material imported later');
  await expect(page.getByTestId('create-key-external-note')).toContainText('PendingImport');
  await screen(page, '25-create-external-key');
  await page.keyboard.press('Escape');

  const keyId = await createKey(page, 'Aliyun_AES_256', undefined, { external: true, description: 'Imported vault key' });
  await expect(page.getByTestId('key-detail-state')).toHaveText('PendingImport');
  await expect(page.getByTestId('key-state-picture')).toHaveAttribute('data-state', 'PendingImport');
  await screen(page, '26-key-pending-import');

  await page.getByTestId('key-action-import-material').click();
  await expect(page.getByTestId('key-tab-import')).toHaveClass(/n-tabs-tab--active/);
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
  await expect(page.getByTestId('key-detail-state')).toHaveText('Enabled');
  await expect(page.getByTestId('key-detail-metadata').locator('[data-field="Origin"]')).toHaveText('EXTERNAL');

  // The imported material encrypts and decrypts.
  await openKeyTab(page, 'crypto');
  await page.getByTestId('encrypt-plaintext').fill('sealed with imported material');
  await page.getByTestId('encrypt-button').click();
  await page.getByTestId('decrypt-button').click();
  await expect(page.getByTestId('decrypt-output')).toHaveText('sealed with imported material');
  await screen(page, '28-imported-key-in-use');

  // EXTERNAL is offered exactly for the specs CreateKey accepts it for (one shared list): HMAC and key pairs too, not Ed25519.
  await page.getByTestId('nav-keys').click();
  await page.getByTestId('create-key-button').click();
  await choose(page, 'create-key-spec', 'EC_ED25519');
  await page.getByTestId('create-key-origin').click();
  await expect(visibleOptions(page)).toHaveCount(1);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await createKey(page, 'HMAC_SHA256', 'GENERATE/VERIFY_MAC', { external: true, description: 'Imported MAC key' });
  await expect(page.getByTestId('key-detail-state')).toHaveText('PendingImport');

  // A key pair: the panel offers RSA_AES_KEY_WRAP_SHA_1 and shows the openssl recipe; the PKCS#8 comes in.
  await createKey(page, 'EC_P256', 'SIGN/VERIFY', { external: true, description: 'Imported signing key' });
  await page.getByTestId('key-action-import-material').click();
  await expect(page.getByTestId('import-algorithm')).toContainText('RSA_AES_KEY_WRAP_SHA_1');
  await page.getByTestId('import-get-parameters').click();
  await expect(page.getByTestId('import-wrap-command')).toContainText('openssl enc -id-aes256-wrap-pad -iv A65959A6');
  const pairWrappingKey = (await page.getByTestId('import-public-key').textContent())?.trim() ?? '';
  await page.getByTestId('import-encrypted-material').fill(await wrapPrivateKeyWithOpenssl(pairWrappingKey));
  await screen(page, '29-import-key-pair');
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('key-detail-state')).toHaveText('Enabled');
});

test('disables, schedules and cancels a deletion with confirmations that name the key', async ({ page, host }) => {
  await firstRun(page, host);
  const keyId = await createKey(page, 'Aliyun_AES_256', undefined, { description: 'Backup encryption key' });

  await page.getByTestId('key-action-disable').click();
  const dialog = page.getByTestId('key-transition-dialog');
  await expect(dialog).toContainText(keyId);
  await expect(page.getByTestId('key-transition-consequence')).toContainText('refused until it is enabled again');
  await page.getByTestId('key-transition-confirm').click();
  await expect(page.getByTestId('key-detail-state')).toHaveText('Disabled');
  await page.getByTestId('key-action-enable').click();
  await expect(page.getByTestId('key-detail-state')).toHaveText('Enabled');

  await page.getByTestId('key-action-schedule-deletion').click();
  await expect(dialog).toContainText(keyId);
  await expect(dialog).toContainText('Backup encryption key');
  await expect(page.getByTestId('key-transition-consequence')).toContainText('can never be decrypted');
  await page.getByTestId('pending-window-days').fill('5');
  await page.getByTestId('pending-window-days').blur();
  await expect(dialog).toContainText('7-366 days');
  await page.getByTestId('pending-window-days').fill('7');
  await page.getByTestId('pending-window-days').blur();
  await screen(page, '29-schedule-deletion-confirm');
  await page.getByTestId('key-transition-confirm').click();
  await expect(page.getByTestId('key-detail-state')).toHaveText('PendingDeletion');
  await expect(page.getByTestId('key-state-picture')).toHaveAttribute('data-state', 'PendingDeletion');
  await expect(page.getByTestId('key-detail-metadata').locator('[data-field="DeleteDate"]')).toHaveText(/UTC$/);
  await screen(page, '30-key-pending-deletion');

  await page.getByTestId('key-action-cancel-deletion').click();
  await expect(page.getByTestId('key-detail-state')).toHaveText('Enabled');
  await expect(page.getByTestId('key-detail-metadata').locator('[data-field="DeleteDate"]')).toHaveText('—');
  await screen(page, '31-key-deletion-cancelled');
});

test('rotates a key and manages its aliases and tags', async ({ page, host }) => {
  await firstRun(page, host);
  const keyId = await createKey(page, 'Aliyun_AES_256');

  await openKeyTab(page, 'versions');
  await expect(page.getByTestId('key-versions-table').locator('tbody tr')).toHaveCount(1);
  await page.getByTestId('key-create-version').click();
  await expect(page.getByTestId('key-versions-table').locator('tbody tr')).toHaveCount(2);
  await page.getByTestId('rotation-enabled').click();
  await page.getByTestId('rotation-days').fill('90');
  await page.getByTestId('rotation-save').click();
  await expect(page.getByTestId('key-versions')).toContainText('Enabled');
  await screen(page, '32-key-versions');

  await openKeyTab(page, 'aliases');
  await page.getByTestId('alias-name').fill('alias/ui-backup');
  await page.getByTestId('alias-add').click();
  await expect(page.getByTestId('alias-item')).toContainText('alias/ui-backup');

  await openKeyTab(page, 'tags');
  await page.getByTestId('tag-key').fill('owner');
  await page.getByTestId('tag-value').fill('vault-team');
  await page.getByTestId('tag-add').click();
  await expect(page.getByTestId('tag-item')).toContainText('vault-team');
  await screen(page, '33-key-tags');

  await page.getByTestId('nav-keys').click();
  await expect(page.getByTestId('key-row').filter({ hasText: keyId })).toContainText('alias/ui-backup');
});
