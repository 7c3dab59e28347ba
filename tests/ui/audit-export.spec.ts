import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect, screen, test } from './fixtures';
import { consoleOpen, createKey } from './steps';

/** Clicks a download button and saves the file under its suggested name in `dir`. */
async function save(page: Page, testid: string, dir: string, name: string): Promise<void> {
  const downloading = page.waitForEvent('download');
  await page.getByTestId(testid).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(name);
  await download.saveAs(`${dir}/${name}`);
}

test('the Audit page exports the log signed in the HSM, and openssl verifies the downloaded files', async ({ page }, testInfo) => {
  await consoleOpen(page);
  await createKey(page, 'Aliyun_AES_256');
  await page.getByTestId('nav-audit').click();
  await expect(page.getByTestId('audit-table').getByTestId('audit-operation').filter({ hasText: /^CreateKey$/ })).toHaveCount(1);

  await page.getByTestId('audit-export-button').click();
  const dialog = page.getByTestId('audit-export-dialog');
  await expect(dialog).toContainText('whole log');
  await page.getByTestId('audit-export-submit').click();
  await expect(page.getByTestId('audit-export-result')).toBeVisible();
  const count = Number(await page.getByTestId('audit-export-count').textContent());
  expect(count).toBeGreaterThanOrEqual(2); // InitializeDefaultKeyStore, CreateKey
  await expect(page.getByTestId('audit-export-range')).toHaveText(`1 to ${count}`);
  await expect(page.getByTestId('audit-export-fingerprint')).toHaveText(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  await expect(page.getByTestId('audit-export-openssl')).toHaveText('openssl dgst -sha256 -verify audit-signing.pem -signature export.sig export.jsonl');
  await screen(page, 'audit-export-dialog');

  const dir = testInfo.outputPath();
  await save(page, 'audit-export-download-export', dir, 'export.jsonl');
  await save(page, 'audit-export-download-signature', dir, 'export.sig');
  await save(page, 'audit-export-download-key', dir, 'audit-signing.pem');
  const verdict = execFileSync('openssl', ['dgst', '-sha256', '-verify', 'audit-signing.pem', '-signature', 'export.sig', 'export.jsonl'], { cwd: dir, encoding: 'utf8' });
  expect(verdict).toContain('Verified OK');
  // The fingerprint shown is the SHA-256 of the downloaded key's DER SubjectPublicKeyInfo.
  const der = execFileSync('openssl', ['pkey', '-pubin', '-in', 'audit-signing.pem', '-outform', 'DER'], { cwd: dir });
  const shown = (await page.getByTestId('audit-export-fingerprint').textContent())?.replace(/:/g, '').toLowerCase();
  expect(execFileSync('sha256sum', { input: der, encoding: 'utf8' }).split(' ')[0]).toBe(shown);

  // The export is itself recorded, after the records it holds.
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(page.getByTestId('audit-table').getByTestId('audit-operation').first()).toHaveText('ExportAuditLog');
});
