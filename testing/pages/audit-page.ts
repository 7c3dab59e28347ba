import { expect, type Page } from '@playwright/test';
import { chooseMany, escapeRegExp } from '../naive-ui';

/** The Audit page: the log, its filters (kept in the address), and the chain's verification. */
export class AuditPage {
  readonly table;
  /** The operation cell of every row shown. */
  readonly operations;
  readonly resourceFilter;
  readonly operationFilter;
  /** The UTC range picker: its two inputs are the range's ends. */
  readonly timeRange;
  readonly verifyResult;
  readonly anchorState;
  readonly checkpoint;

  constructor(readonly page: Page) {
    this.table = page.getByTestId('audit-table');
    this.operations = this.table.getByTestId('audit-operation');
    this.resourceFilter = page.getByTestId('audit-filter-resource');
    this.operationFilter = page.getByTestId('audit-filter-operation');
    this.timeRange = page.getByTestId('audit-filter-time').locator('input');
    this.verifyResult = page.getByTestId('audit-verify-result');
    this.anchorState = page.getByTestId('audit-anchor-state');
    this.checkpoint = page.getByTestId('audit-checkpoint');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-audit').click();
  }

  /** The operation cells showing exactly this operation. */
  operation(name: string) {
    return this.operations.filter({ hasText: new RegExp(`^${escapeRegExp(name)}$`) });
  }

  /** The rows whose text contains `text` (an operation, a resource id). */
  rows(text: string) {
    return this.table.locator('.n-data-table-tr').filter({ hasText: text });
  }

  /** Narrows to one operation (a multiple select: its menu is closed afterwards). */
  async filterOperation(operation: string): Promise<void> {
    await chooseMany(this.page, 'audit-filter-operation', [operation]);
  }

  async filterOutcome(outcome: 'SUCCESS' | 'FAILURE'): Promise<void> {
    await chooseMany(this.page, 'audit-filter-outcome', [outcome]);
  }

  /** Narrows to one resource id (exact match). */
  async filterResource(resourceId: string): Promise<void> {
    await this.resourceFilter.fill(resourceId);
  }

  async clearFilters(): Promise<void> {
    await this.page.getByTestId('audit-filter-clear').click();
  }

  /** Runs "Verify chain" once; the result shows in `verifyResult`. */
  async verify(): Promise<void> {
    await this.page.getByTestId('audit-verify-button').click();
  }

  /**
   * Verifies until the HSM anchor has caught up with the log: it follows the last change by about a
   * second, so a verification right after an operation may see it one record behind.
   */
  async verifyAnchored(timeout = 20_000): Promise<void> {
    await expect(async () => {
      await this.verify();
      await expect(this.anchorState).toHaveText(/^Anchored in the HSM up to record \d+ \(.+ UTC\)\.$/, { timeout: 1_000 });
    }).toPass({ timeout });
  }
}
