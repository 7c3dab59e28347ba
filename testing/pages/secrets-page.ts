import { expect, type Page } from '@playwright/test';
import { choose, escapeRegExp } from '../naive-ui';

export interface CreateSecretOptions {
  description?: string;
  /** Tag key and value, typed into the dialog's first tag row. */
  tag?: [string, string];
  /** A key id or alias to pick in the CMK select (the default secrets key otherwise). */
  cmk?: string;
}

/**
 * The Secrets page: the list and the Create secret dialog. The dialog's value fields (text,
 * key/value, generated, binary) are left to the caller between `fillCreateDialog` and `submitCreate`,
 * except for a text value (`createTextSecret`).
 */
export class SecretsPage {
  readonly table;
  readonly createButton;
  readonly createDialog;
  /** The dialog's text value field. */
  readonly textValue;

  constructor(readonly page: Page) {
    this.table = page.getByTestId('secrets-table');
    this.createButton = page.getByTestId('create-secret-button');
    this.createDialog = page.getByTestId('create-secret-dialog');
    this.textValue = page.getByTestId('create-secret-text');
  }

  /** Opens the page from the menu and waits for its list. */
  async open(): Promise<void> {
    await this.page.getByTestId('nav-secrets').click();
    await expect(this.table).toBeVisible();
  }

  /** Opens the page and its Create secret dialog, then fills name, description, CMK and tag. */
  async fillCreateDialog(name: string, options: CreateSecretOptions = {}): Promise<void> {
    await this.open();
    await this.createButton.click();
    await expect(this.createDialog).toBeVisible();
    await this.page.getByTestId('create-secret-name').fill(name);
    if (options.description) await this.page.getByTestId('create-secret-description').fill(options.description);
    // A CMK option shows more than the alias or id given (its other name, its state): any label containing it.
    if (options.cmk) await choose(this.page, 'create-secret-cmk', new RegExp(escapeRegExp(options.cmk)));
    if (options.tag) {
      await this.page.getByTestId('create-secret-tag-key-0').fill(options.tag[0]);
      await this.page.getByTestId('create-secret-tag-value-0').fill(options.tag[1]);
    }
  }

  /** Submits the dialog and waits for the new secret's page (see SecretDetailPage). */
  async submitCreate(name: string): Promise<void> {
    await this.page.getByTestId('create-secret-submit').click();
    const detail = new SecretDetailPage(this.page);
    // Sealing under a cluster's key takes a while.
    await expect(detail.name).toHaveText(name, { timeout: 60_000 });
    await expect(detail.state).toHaveText('Enabled');
  }

  /** Creates a text secret through the dialog; the console then shows its page. */
  async createTextSecret(name: string, value: string, options: CreateSecretOptions = {}): Promise<void> {
    await this.fillCreateDialog(name, options);
    await this.textValue.fill(value);
    await this.submitCreate(name);
  }
}

/** A secret's page: its name, state and versions with their staging labels. */
export class SecretDetailPage {
  readonly name;
  /** Enabled, PendingDeletion… */
  readonly state;

  constructor(readonly page: Page) {
    this.name = page.getByTestId('secret-detail-name');
    this.state = page.getByTestId('secret-detail-state');
  }

  /** The version table's row of one version (`v1`, a VersionId). */
  versionRow(versionId: string) {
    return this.page.locator(`[data-testid="secret-version-row"][data-version-id="${versionId}"]`);
  }

  /** The staging labels shown on a version's row, in order. */
  stagesOf(versionId: string): Promise<string[]> {
    return this.versionRow(versionId)
      .getByTestId('secret-stage')
      .evaluateAll((tags) => tags.map((tag) => tag.getAttribute('data-stage') ?? ''));
  }
}
