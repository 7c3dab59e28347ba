import type { Page } from '@playwright/test';
import { choose } from '../../testing/naive-ui';
import { expect, type KeywardHost } from './fixtures';

export { choose, visibleOptions } from '../../testing/naive-ui';

/** The officer password the tests set on a fresh data directory (test-only). */
export const PASSWORD = 'Ceremony2024x';

/** Opens the console on a fresh data directory and sets the default key store password. */
export async function firstRun(page: Page, host: KeywardHost): Promise<void> {
  await page.goto(host.url);
  await page.getByTestId('setup-password').fill(PASSWORD);
  await page.getByTestId('setup-password-confirm').fill(PASSWORD);
  await page.getByTestId('setup-submit').click();
  await expect(page.getByTestId('default-store-state')).toHaveText('CONNECTED');
  await expect(page.getByTestId('keys-table')).toBeVisible();
}

export interface CreateKeyOptions {
  /** Imported material: the key starts PendingImport. */
  external?: boolean;
  description?: string;
  /** What the officer types after the dialog's fixed `alias/` prefix. */
  alias?: string;
}

/** Creates a key through the dialog; resolves with its KeyId once its detail page shows. */
export async function createKey(page: Page, spec: string, usage?: string, options: CreateKeyOptions = {}): Promise<string> {
  await page.getByTestId('nav-keys').click();
  await page.getByTestId('create-key-button').click();
  await choose(page, 'create-key-spec', spec);
  if (usage) await choose(page, 'create-key-usage', usage);
  await page.getByTestId('create-key-description').fill(options.description ?? `UI test ${spec}`);
  if (options.alias) await page.getByTestId('create-key-alias').fill(options.alias);
  if (options.external) {
    await choose(page, 'create-key-origin', 'EXTERNAL: key material imported later');
    await expect(page.getByTestId('create-key-submit')).toBeDisabled();
    await page.getByTestId('create-key-external-ack').click();
  }
  await page.getByTestId('create-key-submit').click();
  const metadata = page.getByTestId('key-detail-metadata');
  await expect(metadata).toBeVisible({ timeout: 60_000 });
  await expect(metadata.locator('[data-field="KeySpec"]')).toHaveText(spec);
  const keyId = (await metadata.locator('[data-field="KeyId"]').textContent())?.trim() ?? '';
  expect(keyId).not.toBe('');
  return keyId;
}

/** Opens a tab of the key page (metadata, versions, aliases, tags, public-key, import, crypto). */
export async function openKeyTab(page: Page, tab: string): Promise<void> {
  await page.getByTestId(`key-tab-${tab}`).click();
  await expect(page.getByTestId(`key-tab-${tab}`)).toHaveClass(/n-tabs-tab--active/);
}
