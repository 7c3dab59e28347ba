import { expect, type Page } from '@playwright/test';
import { choose } from '../naive-ui';
import { CreateKeyDialog, type CreateKeyOptions } from './create-key-dialog';
import { KeyDetailPage } from './key-detail-page';

/** The filters of the Keys page's bar, by the select they drive. */
export type KeysFilter = 'state' | 'spec' | 'usage' | 'protection' | 'keystore';

/** The Keys page: the list, its filters, and the Create key dialog. */
export class KeysPage {
  readonly table;
  /** "N keys" above the list. */
  readonly count;
  readonly rows;
  readonly empty;
  readonly search;
  readonly createButton;
  readonly createDialog;

  constructor(readonly page: Page) {
    this.table = page.getByTestId('keys-table');
    this.count = page.getByTestId('keys-count');
    this.rows = page.getByTestId('key-row');
    this.empty = page.getByTestId('keys-empty');
    this.search = page.getByTestId('keys-search');
    this.createButton = page.getByTestId('create-key-button');
    this.createDialog = new CreateKeyDialog(page);
  }

  /** Opens the page from the menu. */
  async open(): Promise<void> {
    await this.page.getByTestId('nav-keys').click();
  }

  /** The list's row of one key (by key id, or any text of the row such as an alias). */
  row(text: string) {
    return this.rows.filter({ hasText: text });
  }

  /** Opens the Create key dialog (from wherever the console is). */
  async openCreateDialog(): Promise<CreateKeyDialog> {
    await this.open();
    await this.createButton.click();
    return this.createDialog;
  }

  /** Creates a key through the dialog; resolves with its key id once its page shows it. */
  async createKey(options: CreateKeyOptions): Promise<string> {
    const dialog = await this.openCreateDialog();
    await dialog.fill(options);
    await dialog.submit();
    // Generating on an HSM cluster (or an RSA-4096 key) takes a while.
    const detail = new KeyDetailPage(this.page);
    await expect(detail.metadata).toBeVisible({ timeout: 60_000 });
    await expect(detail.field('KeySpec')).toHaveText(options.spec);
    return detail.keyId();
  }

  /** Narrows the list with one of the bar's selects (the host does the filtering). */
  filterBy(filter: KeysFilter, label: string): Promise<void> {
    return choose(this.page, `keys-filter-${filter}`, label);
  }

  async clearFilters(): Promise<void> {
    await this.page.getByTestId('keys-filter-clear').click();
  }
}
