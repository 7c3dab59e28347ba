import type { Page } from '@playwright/test';
import { KeyDetailPage, KeysPage, type KeyTab, UnlockPage } from '../../testing';
import { expect } from './fixtures';

/*
 * The suite's shorthands over the kit's page objects (testing/pages), kept for the specs that call
 * them: the flows themselves live in the kit, so the kit cannot drift from the console.
 */
export { choose, visibleOptions } from '../../testing';

export { PASSWORD } from './fixtures';

/**
 * Waits for the console the kit opened, its default key store initialized with PASSWORD: unlocked,
 * on the keys list (what the first-run screen leads to; first-run.spec.ts drives that screen itself).
 */
export async function consoleOpen(page: Page): Promise<void> {
  await new UnlockPage(page).expectOpen();
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
