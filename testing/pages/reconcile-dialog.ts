import { expect, type Page } from '@playwright/test';

/**
 * A key store's reconciliation with its HSMs (from its page): the report of orphan objects (on a
 * token, unknown to the registry) and missing material, and the removal of the orphans.
 */
export class ReconcileDialog {
  readonly report;
  /** Shown when nothing is out of place: "N key versions checked on M tokens". */
  readonly clean;
  readonly orphans;
  readonly missing;
  /** Per token: its count of orphan objects. */
  readonly tokenOrphans;
  readonly removeButton;
  /** After a removal: "N orphan objects destroyed". */
  readonly removed;

  constructor(readonly page: Page) {
    this.report = page.getByTestId('reconcile-report');
    this.clean = this.report.getByTestId('reconcile-clean');
    this.orphans = this.report.getByTestId('reconcile-orphan');
    this.missing = this.report.getByTestId('reconcile-missing');
    this.tokenOrphans = this.report.getByTestId('reconcile-token-orphans');
    this.removeButton = page.getByTestId('reconcile-remove');
    this.removed = this.report.getByTestId('reconcile-removed');
  }

  /** Runs the report (nothing is changed on the tokens). */
  async run(): Promise<void> {
    await this.page.getByTestId('reconcile-run').click();
    await expect(this.report).toBeVisible({ timeout: 60_000 });
  }

  /** Destroys the orphan objects the report lists. */
  async removeOrphans(): Promise<void> {
    await this.removeButton.click();
  }

  async close(): Promise<void> {
    await this.page.getByRole('button', { name: 'Close', exact: true }).click();
  }
}
