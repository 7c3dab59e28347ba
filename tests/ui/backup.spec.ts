import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { BackupPage, KeyDetailPage, KeysPage, launchHost, RestoreFromBackupForm, UnlockPage } from '../../testing';
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
  const backup = new BackupPage(page);

  // Never backed up: the header warns and links to the Backup page.
  await expect(backup.headerAge).toHaveText('⚠ No backup yet');
  await expect(backup.headerAge).toHaveAttribute('data-overdue', 'true');
  await screen(page, 'b0-header-no-backup');

  const keyId = await createKey(page, 'Aliyun_AES_256', undefined, { alias: 'vault-b', description: 'Vault B' });
  const ciphertext = await encryptOnKeyPage(page);

  await backup.openFromHeader();
  await expect(backup.statusNone).toContainText('No backup yet');
  await screen(page, 'b1-backup-page-no-backup');

  // The create dialog: the contract's length rule, a strength meter and a mismatch check before anything is sent.
  const dialog = await backup.openCreateDialog();
  await dialog.password.fill('Short-1');
  await expect(dialog.root).toContainText('must be 12-128 characters');
  await expect(dialog.strength).toHaveAttribute('data-level', 'too-short');
  await dialog.password.fill('aaaaaaaaaaaaaaaa');
  await expect(dialog.strength).toHaveAttribute('data-level', 'weak');
  await expect(dialog.hints).toContainText('Avoid repeated characters');
  await dialog.password.fill(BACKUP_PASSWORD);
  await expect(dialog.strength).toHaveAttribute('data-level', 'strong');
  await dialog.confirmation.fill(`${BACKUP_PASSWORD}x`);
  await expect(dialog.root).toContainText('The passwords do not match');
  await expect(dialog.submitButton).toBeDisabled();
  await dialog.fill(BACKUP_PASSWORD, { description: 'Weekly backup, safe B' });
  await screen(page, 'b2-create-backup-dialog');

  const backupFile = await dialog.submitAndSave(testInfo.outputPath());
  const fileName = path.basename(backupFile);
  expect(fileName).toMatch(/^keyward-\d{8}-\d{6}\.kwbackup$/);
  await expect(dialog.done).toContainText('1 key,');
  await expect(dialog.fileName).toHaveText(fileName);
  await expect(dialog.root).not.toContainText(BACKUP_PASSWORD);
  await dialog.close();

  await expect(backup.statusDescription).toHaveText('Weekly backup, safe B');
  await expect(backup.statusAge).toHaveText('just now');
  await expect(backup.headerAge).toHaveText('Backup just now');
  await expect(backup.headerAge).toHaveAttribute('data-overdue', 'false');

  // The reminder policy.
  await backup.setWarnAfterDays(3);
  await expect(backup.headerAge).toHaveAttribute('title', /Warns after 3 days without one\.$/);

  // Verify the downloaded file: its manifest without the password, then a wrong and the right password.
  const verify = backup.verifyForm;
  await verify.choose(backupFile);
  await expect(verify.manifestField('Description')).toHaveText('Weekly backup, safe B');
  await expect(verify.manifestCount('Keys')).toHaveText('1 key');
  await verify.submitPassword(WRONG_BACKUP_PASSWORD);
  await expect(verify.error).toContainText('Incorrect backup password');
  await expect(verify.password).toHaveValue('');
  await verify.submitPassword(BACKUP_PASSWORD);
  await expect(backup.verified).toContainText('The backup is intact');
  await expect(verify.error).toHaveCount(0);
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
    const unlock = new UnlockPage(page);
    const restore = new RestoreFromBackupForm(page);
    await expect(unlock.setupPassword).toBeVisible();
    await restore.open();
    await restore.choose(backupFile);
    await expect(restore.manifestField('Description')).toHaveText('Weekly backup, safe B');
    await expect(restore.manifestCount('Keys')).toHaveText('1 key');

    await restore.submitPassword(WRONG_BACKUP_PASSWORD);
    await expect(restore.error).toContainText('Incorrect backup password');
    await screen(page, 'b4-first-run-restore-wrong-password');

    await restore.submitPassword(BACKUP_PASSWORD);

    // Restored: the default key store is locked until the backed-up installation's password opens it.
    await expect(restore.restoredNotice).toContainText('Restored from the backup made');
    await screen(page, 'b5-unlock-after-restore');
    await unlock.unlock(PASSWORD);
    await expect(unlock.storeState).toHaveText('CONNECTED');
    await expect(backup.restoreChecksNotice).toContainText('Default key store');
    await expect(backup.headerAge).toHaveText(/^Backup (just now|\d+ min ago)$/);
    await screen(page, 'b6-console-after-restore');

    // The key came back with its alias, and a ciphertext made before the backup decrypts.
    const keys = new KeysPage(page);
    await expect(keys.table).toContainText(keyId);
    const key = new KeyDetailPage(page);
    await key.goto(keyId);
    await key.openTab('crypto');
    await key.encryptPanel.decryptBlob(ciphertext);
    await expect(key.encryptPanel.decrypted).toHaveText(PLAINTEXT);

    // Its key material checked from the Backup page: the notice then goes.
    await backup.openFromRestoreNotice();
    await expect(backup.statusRestored).toContainText('This data directory was restored');
    await expect(backup.uncheckedMaterial()).toHaveCount(1);
    await backup.runMaterialCheck();
    await expect(backup.materialCheckPassed).toContainText('The one key version works in the HSM');
    await expect(backup.uncheckedMaterial()).toHaveCount(0);
    await screen(page, 'b7-backup-page-after-restore');
    await keys.open();
    await expect(keys.table).toBeVisible();
    await expect(backup.restoreChecksNotice).toHaveCount(0);
  } finally {
    // Off the second host's page first: its socket would otherwise log reconnect failures.
    await page.goto('about:blank');
    await second.dispose();
  }
});

test('a backup without the default key store restores its registry and asks for a new default key store password', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await consoleOpen(page);
  const backup = new BackupPage(page);
  await backup.open();
  const dialog = await backup.openCreateDialog();
  await dialog.fill(BACKUP_PASSWORD, { includeDefaultKeyStore: false });
  await expect(dialog.withoutDefault).toContainText('cannot be restored from this backup');
  const backupFile = await dialog.submitAndSave(testInfo.outputPath());
  await expect(dialog.done).toContainText('the default key store left out');

  const second = await launchHost({ page });
  try {
    const restore = new RestoreFromBackupForm(page);
    await restore.open();
    await restore.choose(backupFile);
    await expect(restore.manifestField('IncludesDefaultKeyStore')).toContainText('not included');
    await restore.submitPassword(BACKUP_PASSWORD);

    // The registry is back, the default key store starts over: only a new password is offered.
    await expect(restore.restoredWithoutDefault).toContainText('left out the default key store');
    await expect(page.getByTestId('setup-mode-restore')).toHaveCount(0);
    await screen(page, 'b8-first-run-restored-without-default');
    const unlock = new UnlockPage(page);
    await unlock.setUp(PASSWORD);
    await expect(unlock.storeState).toHaveText('CONNECTED');
    await expect(backup.headerAge).toHaveText(/^Backup (just now|\d+ min ago)$/);
  } finally {
    await page.goto('about:blank');
    await second.dispose();
  }
});
