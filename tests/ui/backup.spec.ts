import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { KeyDetailPage, launchHost } from '../../testing';
import { expect, screen, test } from './fixtures';
import { consoleOpen, createKey, openKeyTab, PASSWORD } from './steps';

/** Test-only backup password; a wrong one of valid length for the refusals. */
const BACKUP_PASSWORD = 'Drill-backup-2026-safe-B';
const WRONG_BACKUP_PASSWORD = 'Drill-backup-2026-safe-C';
const PLAINTEXT = 'Made before the backup: vault B combination';

/** Encrypts PLAINTEXT with the key on its crypto tab; resolves with the ciphertext blob. */
async function encryptOnKeyPage(page: Page): Promise<string> {
  await openKeyTab(page, 'crypto');
  return (await new KeyDetailPage(page).encryptPanel.encrypt(PLAINTEXT)).trim();
}

test('backs up from the Backup page, verifies the file, and restores it on a new workstation', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await consoleOpen(page);

  // Never backed up: the header warns and links to the Backup page.
  const headerAge = page.getByTestId('header-backup-age');
  await expect(headerAge).toHaveText('⚠ No backup yet');
  await expect(headerAge).toHaveAttribute('data-overdue', 'true');
  await screen(page, 'b0-header-no-backup');

  const keyId = await createKey(page, 'Aliyun_AES_256', undefined, { alias: 'vault-b', description: 'Vault B' });
  const ciphertext = await encryptOnKeyPage(page);

  await headerAge.click();
  await expect(page).toHaveURL(/#\/backup$/);
  await expect(page.getByTestId('backup-status-none')).toContainText('No backup yet');
  await screen(page, 'b1-backup-page-no-backup');

  // The create dialog: the contract's length rule, a strength meter and a mismatch check before anything is sent.
  await page.getByTestId('create-backup-button').click();
  const dialog = page.getByTestId('create-backup-dialog');
  await page.getByTestId('backup-password').fill('Short-1');
  await expect(dialog).toContainText('must be 12-128 characters');
  await expect(page.getByTestId('backup-password-strength')).toHaveAttribute('data-level', 'too-short');
  await page.getByTestId('backup-password').fill('aaaaaaaaaaaaaaaa');
  await expect(page.getByTestId('backup-password-strength')).toHaveAttribute('data-level', 'weak');
  await expect(page.getByTestId('backup-password-hints')).toContainText('Avoid repeated characters');
  await page.getByTestId('backup-password').fill(BACKUP_PASSWORD);
  await expect(page.getByTestId('backup-password-strength')).toHaveAttribute('data-level', 'strong');
  await page.getByTestId('backup-password-confirm').fill(`${BACKUP_PASSWORD}x`);
  await expect(dialog).toContainText('The passwords do not match');
  await expect(page.getByTestId('create-backup-submit')).toBeDisabled();
  await page.getByTestId('backup-password-confirm').fill(BACKUP_PASSWORD);
  await page.getByTestId('create-backup-description').fill('Weekly backup, safe B');
  await screen(page, 'b2-create-backup-dialog');

  const downloading = page.waitForEvent('download');
  await page.getByTestId('create-backup-submit').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^keyward-\d{8}-\d{6}\.kwbackup$/);
  const backupFile = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(backupFile);
  await expect(page.getByTestId('create-backup-done')).toContainText('1 key,');
  await expect(page.getByTestId('create-backup-file')).toHaveText(download.suggestedFilename());
  await expect(dialog).not.toContainText(BACKUP_PASSWORD);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();

  await expect(page.getByTestId('backup-status-description')).toHaveText('Weekly backup, safe B');
  await expect(page.getByTestId('backup-status-age')).toHaveText('just now');
  await expect(headerAge).toHaveText('Backup just now');
  await expect(headerAge).toHaveAttribute('data-overdue', 'false');

  // The reminder policy.
  await page.getByTestId('backup-warn-days').fill('3');
  await page.getByTestId('backup-policy-save').click();
  await expect(page.getByTestId('backup-policy-save')).toBeDisabled();
  await expect(headerAge).toHaveAttribute('title', /Warns after 3 days without one\.$/);

  // Verify the downloaded file: its manifest without the password, then a wrong and the right password.
  await page.getByTestId('verify-backup-choose-input').setInputFiles(backupFile);
  const manifest = page.getByTestId('verify-backup-manifest');
  await expect(manifest.locator('[data-field="Description"]')).toHaveText('Weekly backup, safe B');
  await expect(manifest.locator('[data-count="Keys"]')).toHaveText('1 key');
  await page.getByTestId('verify-backup-password').fill(WRONG_BACKUP_PASSWORD);
  await page.getByTestId('verify-backup-submit').click();
  await expect(page.getByTestId('verify-backup-error')).toContainText('Incorrect backup password');
  await expect(page.getByTestId('verify-backup-password')).toHaveValue('');
  await page.getByTestId('verify-backup-password').fill(BACKUP_PASSWORD);
  await page.getByTestId('verify-backup-submit').click();
  await expect(page.getByTestId('verify-backup-ok')).toContainText('The backup is intact');
  await expect(page.getByTestId('verify-backup-error')).toHaveCount(0);
  await screen(page, 'b3-backup-page-verified');

  // R4 in the console: neither backup password stays in the page, its storage or the file.
  const traces = [await page.content(), await page.evaluate<string>('JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage)])')];
  for (const secret of [BACKUP_PASSWORD, WRONG_BACKUP_PASSWORD]) {
    for (const text of traces) expect(text.includes(secret), 'the page holds a backup password').toBe(false);
    expect(readFileSync(backupFile).includes(Buffer.from(secret)), 'the backup file holds its password').toBe(false);
  }

  // A second workstation: another host (the kit's launcher) on an empty data directory, opened in the same window.
  const second = await launchHost({ page });
  try {
    await expect(page.getByTestId('setup-password')).toBeVisible();
    await page.getByTestId('setup-mode-restore').click();
    await page.getByTestId('restore-backup-choose-input').setInputFiles(backupFile);
    const restoreManifest = page.getByTestId('restore-backup-manifest');
    await expect(restoreManifest.locator('[data-field="Description"]')).toHaveText('Weekly backup, safe B');
    await expect(restoreManifest.locator('[data-count="Keys"]')).toHaveText('1 key');

    await page.getByTestId('restore-backup-password').fill(WRONG_BACKUP_PASSWORD);
    await page.getByTestId('restore-backup-submit').click();
    await expect(page.getByTestId('restore-backup-error')).toContainText('Incorrect backup password');
    await screen(page, 'b4-first-run-restore-wrong-password');

    await page.getByTestId('restore-backup-password').fill(BACKUP_PASSWORD);
    await page.getByTestId('restore-backup-submit').click();

    // Restored: the default key store is locked until the backed-up installation's password opens it.
    await expect(page.getByTestId('unlock-restored')).toContainText('Restored from the backup made');
    await screen(page, 'b5-unlock-after-restore');
    await page.getByTestId('unlock-password').fill(PASSWORD);
    await page.getByTestId('unlock-submit').click();
    await expect(page.getByTestId('default-store-state')).toHaveText('CONNECTED');
    await expect(page.getByTestId('restore-checks-notice')).toContainText('Default key store');
    await expect(page.getByTestId('header-backup-age')).toHaveText(/^Backup (just now|\d+ min ago)$/);
    await screen(page, 'b6-console-after-restore');

    // The key came back with its alias, and a ciphertext made before the backup decrypts.
    await expect(page.getByTestId('keys-table')).toContainText(keyId);
    await page.goto(`${second.host.url}#/keys/${encodeURIComponent(keyId)}`);
    await openKeyTab(page, 'crypto');
    await page.getByTestId('decrypt-input').fill(ciphertext);
    await page.getByTestId('decrypt-button').click();
    await expect(page.getByTestId('decrypt-output')).toHaveText(PLAINTEXT);

    // Its key material checked from the Backup page: the notice then goes.
    await page.getByTestId('restore-checks-link').click();
    await expect(page.getByTestId('backup-status-restored')).toContainText('This data directory was restored');
    const check = page.locator('[data-testid="material-check"][data-unchecked="true"]');
    await expect(check).toHaveCount(1);
    await check.getByTestId('material-check-run').click();
    await expect(page.getByTestId('material-check-passed')).toContainText('The one key version works in the HSM');
    await expect(page.locator('[data-testid="material-check"][data-unchecked="true"]')).toHaveCount(0);
    await screen(page, 'b7-backup-page-after-restore');
    await page.getByTestId('nav-keys').click();
    await expect(page.getByTestId('keys-table')).toBeVisible();
    await expect(page.getByTestId('restore-checks-notice')).toHaveCount(0);
  } finally {
    // Off the second host's page first: its socket would otherwise log reconnect failures.
    await page.goto('about:blank');
    await second.dispose();
  }
});

test('a backup without the default key store restores its registry and asks for a new default key store password', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await consoleOpen(page);
  await page.getByTestId('nav-backup').click();
  await page.getByTestId('create-backup-button').click();
  await page.getByTestId('backup-password').fill(BACKUP_PASSWORD);
  await page.getByTestId('backup-password-confirm').fill(BACKUP_PASSWORD);
  await page.getByTestId('create-backup-include-default').click();
  await expect(page.getByTestId('create-backup-without-default')).toContainText('cannot be restored from this backup');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('create-backup-submit').click();
  const download = await downloading;
  const backupFile = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(backupFile);
  await expect(page.getByTestId('create-backup-done')).toContainText('the default key store left out');

  const second = await launchHost({ page });
  try {
    await page.getByTestId('setup-mode-restore').click();
    await page.getByTestId('restore-backup-choose-input').setInputFiles(backupFile);
    await expect(page.getByTestId('restore-backup-manifest').locator('[data-field="IncludesDefaultKeyStore"]')).toContainText('not included');
    await page.getByTestId('restore-backup-password').fill(BACKUP_PASSWORD);
    await page.getByTestId('restore-backup-submit').click();

    // The registry is back, the default key store starts over: only a new password is offered.
    await expect(page.getByTestId('setup-restored-without-default')).toContainText('left out the default key store');
    await expect(page.getByTestId('setup-mode-restore')).toHaveCount(0);
    await screen(page, 'b8-first-run-restored-without-default');
    await page.getByTestId('setup-password').fill(PASSWORD);
    await page.getByTestId('setup-password-confirm').fill(PASSWORD);
    await page.getByTestId('setup-submit').click();
    await expect(page.getByTestId('default-store-state')).toHaveText('CONNECTED');
    await expect(page.getByTestId('header-backup-age')).toHaveText(/^Backup (just now|\d+ min ago)$/);
  } finally {
    await page.goto('about:blank');
    await second.dispose();
  }
});
