import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

export interface CreateBackupOptions {
  description?: string;
  /** `false` leaves the default key store's token out (its keys cannot be restored from the file). */
  includeDefaultKeyStore?: boolean;
}

/** The Create backup dialog: password twice (with its strength meter), description, scope. */
export class CreateBackupDialog {
  readonly root;
  readonly password;
  readonly confirmation;
  /** `data-level`: empty, too-short, weak, … strong. */
  readonly strength;
  readonly hints;
  readonly description;
  readonly includeDefault;
  /** The warning shown once the default key store is left out. */
  readonly withoutDefault;
  readonly submitButton;
  /** What the dialog shows once the backup is made: its counts and file name. */
  readonly done;
  readonly fileName;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('create-backup-dialog');
    this.password = page.getByTestId('backup-password');
    this.confirmation = page.getByTestId('backup-password-confirm');
    this.strength = page.getByTestId('backup-password-strength');
    this.hints = page.getByTestId('backup-password-hints');
    this.description = page.getByTestId('create-backup-description');
    this.includeDefault = page.getByTestId('create-backup-include-default');
    this.withoutDefault = page.getByTestId('create-backup-without-default');
    this.submitButton = page.getByTestId('create-backup-submit');
    this.done = page.getByTestId('create-backup-done');
    this.fileName = page.getByTestId('create-backup-file');
  }

  /** Fills the password, its repetition, the description and the scope; nothing is sent yet. */
  async fill(password: string, options: CreateBackupOptions = {}): Promise<void> {
    await this.password.fill(password);
    await this.confirmation.fill(password);
    if (options.description !== undefined) await this.description.fill(options.description);
    if (options.includeDefaultKeyStore === false) {
      await this.includeDefault.click();
      await expect(this.withoutDefault).toBeVisible();
    }
  }

  /**
   * Submits and saves the browser's download into `directory` under the name Keyward suggested;
   * resolves with the saved file's path once the dialog shows that name.
   */
  async submitAndSave(directory: string): Promise<string> {
    const downloading = this.page.waitForEvent('download');
    await this.submitButton.click();
    const download = await downloading;
    const file = path.join(directory, download.suggestedFilename());
    await download.saveAs(file);
    await expect(this.fileName).toHaveText(download.suggestedFilename());
    return file;
  }

  async close(): Promise<void> {
    await this.root.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(this.root).toBeHidden();
  }
}

/**
 * A backup file opened in the console (the Backup page's Verify card, or Restore on the first-run
 * screen): its manifest is read without the password, then the password is submitted.
 */
export class BackupFileForm {
  constructor(
    readonly page: Page,
    private readonly fileInput: Locator,
    /** The manifest read from the file before any password: see `manifestField` and `manifestCount`. */
    readonly manifest: Locator,
    readonly password: Locator,
    readonly submitButton: Locator,
    /** The refusal shown in place (a wrong password, a damaged file). */
    readonly error: Locator,
  ) {}

  /** Chooses the file and waits for its manifest. */
  async choose(file: string): Promise<void> {
    await this.fileInput.setInputFiles(file);
    await expect(this.manifest).toBeVisible();
  }

  /** A manifest field by its contract name (`Description`, `CreatedAt`, `IncludesDefaultKeyStore`). */
  manifestField(name: string): Locator {
    return this.manifest.locator(`[data-field="${name}"]`);
  }

  /** A manifest count (`Keys`, `Secrets`…), as shown: "1 key". */
  manifestCount(name: string): Locator {
    return this.manifest.locator(`[data-count="${name}"]`);
  }

  /** Types the password and submits it; the caller judges the outcome. */
  async submitPassword(password: string): Promise<void> {
    await this.password.fill(password);
    await this.submitButton.click();
  }
}

/** The Backup page: its status, the create dialog, the reminder policy, verification, and material checks after a restore. */
export class BackupPage {
  /** The header's backup age ("⚠ No backup yet", "Backup just now"); `data-overdue` and its title tell the policy. */
  readonly headerAge;
  readonly statusNone;
  readonly statusAge;
  readonly statusDescription;
  /** Shown on a restored data directory. */
  readonly statusRestored;
  readonly createButton;
  readonly createDialog;
  readonly warnDays;
  readonly policySave;
  readonly verifyForm;
  readonly verified;
  /** One row per key store whose key material can be checked; `data-unchecked` until it is. */
  readonly materialChecks;
  readonly materialCheckPassed;
  /** The console's notice on a restored installation until every key store's material was checked. */
  readonly restoreChecksNotice;

  constructor(readonly page: Page) {
    this.headerAge = page.getByTestId('header-backup-age');
    this.statusNone = page.getByTestId('backup-status-none');
    this.statusAge = page.getByTestId('backup-status-age');
    this.statusDescription = page.getByTestId('backup-status-description');
    this.statusRestored = page.getByTestId('backup-status-restored');
    this.createButton = page.getByTestId('create-backup-button');
    this.createDialog = new CreateBackupDialog(page);
    this.warnDays = page.getByTestId('backup-warn-days');
    this.policySave = page.getByTestId('backup-policy-save');
    this.verifyForm = new BackupFileForm(
      page,
      page.getByTestId('verify-backup-choose-input'),
      page.getByTestId('verify-backup-manifest'),
      page.getByTestId('verify-backup-password'),
      page.getByTestId('verify-backup-submit'),
      page.getByTestId('verify-backup-error'),
    );
    this.verified = page.getByTestId('verify-backup-ok');
    this.materialChecks = page.getByTestId('material-check');
    this.materialCheckPassed = page.getByTestId('material-check-passed');
    this.restoreChecksNotice = page.getByTestId('restore-checks-notice');
  }

  /** Opens the page from the menu. */
  async open(): Promise<void> {
    await this.page.getByTestId('nav-backup').click();
    await expect(this.createButton).toBeVisible();
  }

  /** Opens the page from the header's backup age (its link when a backup is due). */
  async openFromHeader(): Promise<void> {
    await this.headerAge.click();
    await expect(this.page).toHaveURL(/#\/backup$/);
  }

  /** Opens the page from the notice a restored installation shows. */
  async openFromRestoreNotice(): Promise<void> {
    await this.page.getByTestId('restore-checks-link').click();
    await expect(this.createButton).toBeVisible();
  }

  async openCreateDialog(): Promise<CreateBackupDialog> {
    await this.createButton.click();
    await expect(this.createDialog.root).toBeVisible();
    return this.createDialog;
  }

  /**
   * Creates a backup from the Backup page and saves the download into `directory`; resolves with the
   * file's path once made. The dialog stays open on its result (see `createDialog.done`).
   */
  async createBackup(password: string, directory: string, options: CreateBackupOptions = {}): Promise<string> {
    await this.open();
    const dialog = await this.openCreateDialog();
    await dialog.fill(password, options);
    return dialog.submitAndSave(directory);
  }

  /** Sets how many days without a backup the header waits before warning, and saves. */
  async setWarnAfterDays(days: number): Promise<void> {
    await this.warnDays.fill(String(days));
    await this.policySave.click();
    await expect(this.policySave).toBeDisabled();
  }

  /** Verifies a backup file with its password and waits for "The backup is intact". */
  async verify(file: string, password: string): Promise<void> {
    await this.verifyForm.choose(file);
    await this.verifyForm.submitPassword(password);
    await expect(this.verified).toBeVisible();
  }

  /** The material-check rows not checked yet. */
  uncheckedMaterial(): Locator {
    return this.materialChecks.and(this.page.locator('[data-unchecked="true"]'));
  }

  /** Runs the material check of the one key store not checked yet and waits for its result. */
  async runMaterialCheck(): Promise<void> {
    const unchecked = this.uncheckedMaterial();
    await expect(unchecked).toHaveCount(1);
    await unchecked.getByTestId('material-check-run').click();
    await expect(this.materialCheckPassed.or(this.page.getByTestId('material-check-problems')).first()).toBeVisible({ timeout: 60_000 });
  }
}

/** Restore from a backup on the first-run screen of an empty data directory. */
export class RestoreFromBackupForm extends BackupFileForm {
  /** After a restore without the default key store: the first-run screen asks for a new password. */
  readonly restoredWithoutDefault;
  /** After a restore: the unlock screen names the backup. */
  readonly restoredNotice;

  constructor(page: Page) {
    super(
      page,
      page.getByTestId('restore-backup-choose-input'),
      page.getByTestId('restore-backup-manifest'),
      page.getByTestId('restore-backup-password'),
      page.getByTestId('restore-backup-submit'),
      page.getByTestId('restore-backup-error'),
    );
    this.restoredWithoutDefault = page.getByTestId('setup-restored-without-default');
    this.restoredNotice = page.getByTestId('unlock-restored');
  }

  /** Switches the first-run screen to "Restore from a backup". */
  async open(): Promise<void> {
    await this.page.getByTestId('setup-mode-restore').click();
  }

  /**
   * Restores `file` with its password and waits for what follows: the unlock screen (the default
   * key store came back) or the first-run password (it was left out). See UnlockPage for either.
   */
  async restore(file: string, password: string): Promise<void> {
    await this.open();
    await this.choose(file);
    await this.submitPassword(password);
    await expect(this.restoredNotice.or(this.restoredWithoutDefault).first()).toBeVisible({ timeout: 60_000 });
  }
}
