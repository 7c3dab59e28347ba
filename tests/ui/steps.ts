import type { Page } from '@playwright/test';
import { KeyDetailPage, type KeyTab } from '../../testing/pages/key-detail-page';
import { KeysPage } from '../../testing/pages/keys-page';
import { UnlockPage } from '../../testing/pages/unlock-page';
import { expect, type KeywardHost } from './fixtures';

/*
 * The suite's shorthands over the kit's page objects (testing/pages), kept for the specs that call
 * them: the flows themselves live in the kit, so the kit cannot drift from the console.
 */
export { choose, visibleOptions } from '../../testing/naive-ui';

/** The officer password the tests set on a fresh data directory (test-only). */
export const PASSWORD = 'Ceremony2024x';

/** Opens the console on a fresh data directory and sets the default key store password. */
export async function firstRun(page: Page, host: KeywardHost): Promise<void> {
  await page.goto(host.url);
  await new UnlockPage(page).setUp(PASSWORD);
  await expect(new KeysPage(page).table).toBeVisible();
}

export interface CreateKeyOptions {
  /** Imported material: the key starts PendingImport. */
  external?: boolean;
  description?: string;
  /** What the officer types after the dialog's fixed `alias/` prefix. */
  alias?: string;
}

/** Creates a key through the dialog; resolves with its KeyId once its detail page shows. */
export function createKey(page: Page, spec: string, usage?: string, options: CreateKeyOptions = {}): Promise<string> {
  return new KeysPage(page).createKey({ spec, usage, ...options, description: options.description ?? `UI test ${spec}` });
}

/** Opens a tab of the key page (metadata, versions, aliases, tags, public-key, import, crypto). */
export function openKeyTab(page: Page, tab: KeyTab): Promise<void> {
  return new KeyDetailPage(page).openTab(tab);
}
