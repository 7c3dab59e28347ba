import type { Page } from '@playwright/test';
import { expect } from './fixtures';

export interface SecretOptions {
  description?: string;
  /** Tag key and value, typed into the dialog's first tag row. */
  tag?: [string, string];
  /** A key id or alias to pick in the CMK select (the default secrets key otherwise). */
  cmk?: string;
}

/** Opens the Secrets page from the menu and waits for its list. */
export async function openSecrets(page: Page): Promise<void> {
  await page.getByTestId('nav-secrets').click();
  await expect(page.getByTestId('secrets-table')).toBeVisible();
}

/** Fills the create dialog's name, description, CMK and tag (the value is the caller's part). */
export async function fillSecretMetadata(page: Page, name: string, options: SecretOptions = {}): Promise<void> {
  await openSecrets(page);
  await page.getByTestId('create-secret-button').click();
  await expect(page.getByTestId('create-secret-dialog')).toBeVisible();
  await page.getByTestId('create-secret-name').fill(name);
  if (options.description) await page.getByTestId('create-secret-description').fill(options.description);
  if (options.cmk) {
    await page.getByTestId('create-secret-cmk').click();
    await page.locator('.n-base-select-menu:visible .n-base-select-option').filter({ hasText: options.cmk }).first().click();
    await expect(page.getByTestId('create-secret-cmk')).toContainText(options.cmk);
  }
  if (options.tag) {
    await page.getByTestId('create-secret-tag-key-0').fill(options.tag[0]);
    await page.getByTestId('create-secret-tag-value-0').fill(options.tag[1]);
  }
}

/** Submits the create dialog and waits for the new secret's page. */
export async function submitSecret(page: Page, name: string): Promise<void> {
  await page.getByTestId('create-secret-submit').click();
  await expect(page.getByTestId('secret-detail-name')).toHaveText(name, { timeout: 60_000 });
  await expect(page.getByTestId('secret-detail-state')).toHaveText('Enabled');
}

/** Creates a text secret through the dialog and opens its page. */
export async function createTextSecret(page: Page, name: string, value: string, options: SecretOptions = {}): Promise<void> {
  await fillSecretMetadata(page, name, options);
  await page.getByTestId('create-secret-text').fill(value);
  await submitSecret(page, name);
}

/** The version table's row of one version. */
export function versionRow(page: Page, versionId: string) {
  return page.locator(`[data-testid="secret-version-row"][data-version-id="${versionId}"]`);
}

/** The stages shown on a version's row, in order. */
export async function stagesOf(page: Page, versionId: string): Promise<string[]> {
  return versionRow(page, versionId)
    .getByTestId('secret-stage')
    .evaluateAll((tags) => tags.map((tag) => tag.getAttribute('data-stage') ?? ''));
}
