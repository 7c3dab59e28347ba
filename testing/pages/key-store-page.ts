import { expect, type Page } from '@playwright/test';
import { ReconcileDialog } from './reconcile-dialog';

/** A key store's page: its connection (connect, disconnect) and reconciliation with its HSMs. */
export class KeyStorePage {
  /** CONNECTED, DISCONNECTED, … */
  readonly state;
  /** The error code of the last failed connect. */
  readonly errorCode;

  constructor(readonly page: Page) {
    this.state = page.getByTestId('keystore-state');
    this.errorCode = page.getByTestId('keystore-error-code');
  }

  /** Disconnects after the confirmation and waits for DISCONNECTED. */
  async disconnect(): Promise<void> {
    await this.page.getByTestId('keystore-disconnect').click();
    // The confirmation has no test id of its own: its button's accessible name.
    await this.page.getByRole('button', { name: 'Disconnect', exact: true }).last().click();
    await expect(this.state).toHaveText('DISCONNECTED');
  }

  /** Submits the connect dialog with a password; the caller judges the outcome (state or error code). */
  async connect(password: string): Promise<void> {
    await this.page.getByTestId('keystore-connect').click();
    await this.page.getByTestId('connect-password').fill(password);
    await this.page.getByTestId('connect-submit').click();
  }

  /** Opens "Reconcile with HSMs". */
  async openReconcile(): Promise<ReconcileDialog> {
    await this.page.getByTestId('keystore-reconcile').click();
    return new ReconcileDialog(this.page);
  }
}
