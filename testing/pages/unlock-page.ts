import { expect, type Page } from '@playwright/test';

/**
 * The console's gate: the first-run screen that sets the default key store's password, and the
 * unlock screen after a lock or a restart.
 */
export class UnlockPage {
  readonly setupPassword;
  readonly setupConfirmation;
  readonly setupSubmit;
  readonly password;
  readonly submit;
  /** The inline error after a refused password ("Incorrect password"). */
  readonly error;
  /** The header's state of the default key store: CONNECTED once the console is open. */
  readonly storeState;

  constructor(readonly page: Page) {
    this.setupPassword = page.getByTestId('setup-password');
    this.setupConfirmation = page.getByTestId('setup-password-confirm');
    this.setupSubmit = page.getByTestId('setup-submit');
    this.password = page.getByTestId('unlock-password');
    this.submit = page.getByTestId('unlock-submit');
    this.error = page.getByTestId('unlock-error');
    this.storeState = page.getByTestId('default-store-state');
  }

  /** First run: sets the default key store's password and waits until the console is open. */
  async setUp(password: string): Promise<void> {
    await this.setupPassword.fill(password);
    await this.setupConfirmation.fill(password);
    await this.setupSubmit.click();
    await this.expectOpen();
  }

  /** Types a password into the unlock screen and submits it; the caller judges the outcome. */
  async submitPassword(password: string): Promise<void> {
    await this.password.fill(password);
    await this.submit.click();
  }

  /** Unlocks with the right password and waits until the console is open. */
  async unlock(password: string): Promise<void> {
    await this.submitPassword(password);
    await this.expectOpen();
  }

  async expectOpen(): Promise<void> {
    await expect(this.storeState).toHaveText('CONNECTED');
  }
}
