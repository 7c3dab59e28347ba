import { expect, type Page } from '@playwright/test';
import type { OfficerRole } from '../../shared/contract';
import { choose, chooseMany } from '../naive-ui';
import { expectOutcome } from './dialog-outcome';

/** Where an officer's approval key comes from: read from their token with their PIN, or a PEM public key. */
export type OfficerKeySource =
  | {
      /** The registered module's option: `NAME (MODULE_ID)` (a pattern for labels known only in part). */
      module: string | RegExp;
      /** The token's option: `LABEL (serial SERIAL)`. */
      token: string | RegExp;
      /** Used for this login only; Keyward never stores it. */
      pin: string;
      /** The approval key's label on the token (the dialog offers `approval`). */
      keyLabel?: string;
    }
  | { publicKeyPem: string };

export type OfficerEnrollment = { name: string; roles?: OfficerRole[] } & OfficerKeySource;

/** A quorum policy's fields; the ones left out keep what the dialog shows. */
export interface QuorumPolicyChange {
  /** Replaces the protected operations (an empty list removes the policy). */
  operations?: string[];
  minApprovals?: number;
  windowMinutes?: number;
}

/**
 * The Officers page: the officers table (enroll, disable) and the quorum policy card with its edit
 * dialog. Changing a policy in force waits for approvals: the console then shows a QuorumNotice.
 */
export class OfficersPage {
  readonly table;
  readonly rows;
  /** Each row's state tag (ENABLED, DISABLED), in table order. */
  readonly rowStates;
  /** Each row's fingerprint: `data-value` is the full SHA-256 hex (the text is shortened). */
  readonly rowFingerprints;
  readonly enrollButton;
  readonly enrollDialog;
  /** The key label field of the enroll dialog (prefilled with `approval`). */
  readonly enrollKeyLabel;
  /** After enrolling: the fingerprint for the officer to compare with their token. */
  readonly enrollFingerprint;
  /** Shown while no policy is in force. */
  readonly policyNone;
  /** The protected operations' tags on the policy card. */
  readonly policyOperations;
  /** "N distinct officers' approvals within M minutes." */
  readonly policySummary;
  /** Shown while policy changes wait for approvals. */
  readonly policyPending;
  readonly policyDialog;
  /** The protected operations select of the policy dialog. */
  readonly policyOperationsSelect;
  /** Shown in the dialog while a policy is in force: saving opens an approval request. */
  readonly policyProtected;
  /** The console's error notifications: data-code is the refusal's error code. */
  readonly errorNotification;

  constructor(readonly page: Page) {
    this.table = page.getByTestId('officers-table');
    this.rows = this.table.locator('tbody tr');
    this.rowStates = page.getByTestId('officer-row-state');
    this.rowFingerprints = page.getByTestId('officer-row-fingerprint');
    this.enrollButton = page.getByTestId('officer-enroll-button');
    this.enrollDialog = page.getByTestId('officer-enroll-dialog');
    this.enrollKeyLabel = page.getByTestId('officer-enroll-label');
    this.enrollFingerprint = page.getByTestId('officer-enroll-fingerprint');
    this.policyNone = page.getByTestId('quorum-policy-none');
    this.policyOperations = page.getByTestId('quorum-policy-operation');
    this.policySummary = page.getByTestId('quorum-policy-summary');
    this.policyPending = page.getByTestId('quorum-policy-pending');
    this.policyDialog = page.getByTestId('quorum-policy-dialog');
    this.policyOperationsSelect = page.getByTestId('quorum-policy-operations');
    this.policyProtected = page.getByTestId('quorum-policy-protected');
    this.errorNotification = page.getByTestId('error-notification');
  }

  /** Opens the page from the menu and waits for the policy card. */
  async open(): Promise<void> {
    await this.page.getByTestId('nav-officers').click();
    await expect(this.page.getByTestId('quorum-policy-card')).toBeVisible();
  }

  /** The table's row of one officer, by name. */
  row(name: string) {
    return this.rows.filter({ has: this.page.getByTestId('officer-row-name').getByText(name, { exact: true }) });
  }

  /** Opens the enroll dialog and fills it; `confirmEnrollment` submits it. */
  async fillEnrollment(officer: OfficerEnrollment): Promise<void> {
    await this.enrollButton.click();
    await expect(this.enrollDialog).toBeVisible();
    await this.page.getByTestId('officer-enroll-name').fill(officer.name);
    await chooseMany(this.page, 'officer-enroll-roles', officer.roles ?? []);
    if ('publicKeyPem' in officer) {
      await this.page.getByTestId('officer-enroll-source-pem').click();
      await this.page.getByTestId('officer-enroll-pem').fill(officer.publicKeyPem);
      return;
    }
    await choose(this.page, 'officer-enroll-module', officer.module);
    // The token list comes from describing the module just chosen.
    await choose(this.page, 'officer-enroll-token', officer.token);
    if (officer.keyLabel !== undefined) await this.enrollKeyLabel.fill(officer.keyLabel);
    await this.page.getByTestId('officer-enroll-pin').fill(officer.pin);
  }

  /**
   * CreateOfficer from the filled dialog: resolves with the fingerprint the dialog then shows (SHA-256
   * hex of the public key), and closes it. Throws with the console's error when Keyward refused.
   */
  async confirmEnrollment(): Promise<string> {
    await this.page.getByTestId('officer-enroll-confirm').click();
    await expectOutcome(this.enrollFingerprint, this.errorNotification, 'CreateOfficer');
    const fingerprint = (await this.enrollFingerprint.textContent())?.trim() ?? '';
    await this.page.getByTestId('officer-enroll-cancel').click();
    await expect(this.enrollDialog).toBeHidden();
    return fingerprint;
  }

  /** Enrolls an officer through the dialog; resolves with the fingerprint shown (see `confirmEnrollment`). */
  async enroll(officer: OfficerEnrollment): Promise<string> {
    await this.fillEnrollment(officer);
    return this.confirmEnrollment();
  }

  /** Opens the quorum policy dialog (the defaults are preselected while no policy is in force). */
  async openPolicyDialog(): Promise<void> {
    await this.page.getByTestId('quorum-policy-edit').click();
    await expect(this.policyDialog).toBeVisible();
  }

  /** Changes fields of the open policy dialog. */
  async fillPolicy(change: QuorumPolicyChange): Promise<void> {
    if (change.operations) {
      // The select's clear button shows on hover only.
      await this.policyOperationsSelect.hover();
      await this.policyOperationsSelect.locator('.n-base-clear').click();
      await chooseMany(this.page, 'quorum-policy-operations', change.operations);
    }
    if (change.minApprovals !== undefined) await this.page.getByTestId('quorum-policy-min').locator('input').fill(String(change.minApprovals));
    if (change.windowMinutes !== undefined) await this.page.getByTestId('quorum-policy-window').locator('input').fill(String(change.windowMinutes));
  }

  /**
   * UpdateQuorumPolicy from the open dialog; resolves once it closed. With a policy in force the
   * change then waits for approvals (a QuorumNotice shows) instead of taking effect.
   */
  async savePolicy(): Promise<void> {
    await this.page.getByTestId('quorum-policy-save').click();
    await expectOutcome(this.policyDialog, this.errorNotification, 'UpdateQuorumPolicy', { hidden: true });
  }

  /** Opens the dialog, changes the policy and saves it (see `savePolicy`). */
  async updatePolicy(change: QuorumPolicyChange): Promise<void> {
    await this.openPolicyDialog();
    await this.fillPolicy(change);
    await this.savePolicy();
  }

  /**
   * DisableOfficer, confirmed: the caller judges the outcome (the row's state, or a refusal such as
   * Forbidden.Quorum when fewer enabled officers than the policy needs would remain).
   */
  async disable(name: string): Promise<void> {
    await this.row(name).getByTestId('officer-disable').click();
    // The row's button has the same accessible name: the confirmation's comes last.
    await this.page.getByRole('button', { name: `Disable ${name}` }).last().click();
  }
}
