import type { Page } from '@playwright/test';
import { KeyStorePage } from './key-store-page';

/** The Key stores page: one row per key store (the default one, cluster and external stores). */
export class KeyStoresPage {
  readonly table;

  constructor(readonly page: Page) {
    this.table = page.getByTestId('keystores-table');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-keystores').click();
  }

  /** The row of a key store, by its name (or any text of the row). */
  row(text: string) {
    return this.table.locator('tr', { hasText: text });
  }

  /** Opens a key store's page: the one named, or the first listed. */
  async openStore(name?: string): Promise<KeyStorePage> {
    const link = name === undefined ? this.table.getByTestId('keystore-link').first() : this.row(name).getByTestId('keystore-link');
    await link.click();
    return new KeyStorePage(this.page);
  }
}
