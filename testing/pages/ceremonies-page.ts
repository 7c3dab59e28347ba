import { expect, type Download, type Locator, type Page } from '@playwright/test';
import type { OfficerRole } from '../../shared/contract';
import { chooseMany } from '../naive-ui';

/** The files the transcript section offers, by the name each is saved under. */
export type TranscriptFile = 'transcript.json' | 'transcript.pdf' | 'transcript.sig' | 'transcript.pdf.sig' | 'signing-key.pem';

const DOWNLOAD_BUTTONS: Record<TranscriptFile, string> = {
  'transcript.json': 'ceremony-transcript-download-json',
  'transcript.pdf': 'ceremony-transcript-download-pdf',
  'transcript.sig': 'ceremony-transcript-download-signature',
  'transcript.pdf.sig': 'ceremony-transcript-download-pdf-signature',
  'signing-key.pem': 'ceremony-transcript-download-key',
};

/** A witness's sign-off: the PIN of their token (Keyward signs there), or a base64 signature made elsewhere. */
export type SignOffProof = { pin: string } | { signature: string };

/**
 * The Ceremonies page (scripts and ceremonies) and one ceremony's checklist: start it with its
 * participants, run the current step, have witnesses sign it off, record deviations, complete or
 * abort, and export the signed transcript.
 */
export class CeremoniesPage {
  readonly scriptsTable;
  readonly ceremoniesTable;
  /** The step being worked on: `data-step` is its StepId, `data-state` its state. */
  readonly currentStep;
  readonly stepState;
  readonly stepError;
  /** Shown when a step was settled after a restart (or is still RUNNING): how its outcome is known. */
  readonly stepRecovered;
  /** Every step of the checklist: `data-step` and `data-state` on each. */
  readonly stepRows;
  readonly ceremonyState;
  readonly transcript;
  /** The console's error notification: data-code is the refusal's error code. */
  readonly errorNotification;

  constructor(readonly page: Page) {
    this.scriptsTable = page.getByTestId('ceremony-scripts-table');
    this.ceremoniesTable = page.getByTestId('ceremonies-table');
    this.currentStep = page.getByTestId('ceremony-current-step');
    this.stepState = this.currentStep.getByTestId('ceremony-step-state');
    this.stepError = page.getByTestId('ceremony-step-error');
    this.stepRecovered = page.getByTestId('ceremony-step-recovered');
    this.stepRows = page.getByTestId('ceremony-step-row');
    this.ceremonyState = page.getByTestId('ceremony-state');
    this.transcript = page.getByTestId('ceremony-transcript');
    this.errorNotification = page.getByTestId('error-notification');
  }

  /** Waits until `outcome` shows; throws with the console's error text if Keyward refused the action instead. */
  private async shownOrRefused(outcome: Locator, action: string, timeout = 20_000): Promise<void> {
    await expect(outcome.or(this.errorNotification).first()).toBeVisible({ timeout });
    if (await this.errorNotification.first().isVisible()) {
      const code = (await this.errorNotification.first().getAttribute('data-code')) ?? '';
      throw new Error(`${action} was refused: ${code} ${(await this.errorNotification.first().textContent()) ?? ''}`.trim());
    }
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-ceremonies').click();
    await expect(this.scriptsTable).toBeVisible();
  }

  /** The scripts table's row of a script, by its name. */
  scriptRow(name: string) {
    return this.scriptsTable.locator('tr').filter({ has: this.page.getByTestId('ceremony-script-name').getByText(name, { exact: true }) });
  }

  /** ImportCeremonyScript from a JSON file on disk; the script's row then shows. */
  async importScript(filePath: string, name: string): Promise<void> {
    await this.page.getByTestId('ceremony-script-import-file').setInputFiles(filePath);
    await expect(this.scriptRow(name)).toBeVisible();
  }

  /** Opens the start dialog of a script and picks, per role, the officers who take it. */
  async chooseParticipants(scriptName: string, participants: Partial<Record<OfficerRole, string[]>>): Promise<void> {
    await this.scriptRow(scriptName).getByTestId('ceremony-script-start').click();
    await expect(this.page.getByTestId('ceremony-start-dialog')).toBeVisible();
    for (const [role, names] of Object.entries(participants)) {
      await chooseMany(this.page, `ceremony-start-role-${role}`, names);
    }
  }

  /** Starts a ceremony from a script with these participants; resolves with its id once its checklist shows. */
  async start(scriptName: string, participants: Partial<Record<OfficerRole, string[]>>): Promise<string> {
    await this.chooseParticipants(scriptName, participants);
    await this.page.getByTestId('ceremony-start-confirm').click();
    await this.shownOrRefused(this.currentStep, 'StartCeremony');
    return (await this.page.getByTestId('ceremony-id').textContent()) ?? '';
  }

  /** Opens a ceremony's checklist from the ceremonies table. */
  async openCeremony(ceremonyId: string): Promise<void> {
    await this.ceremoniesTable.getByTestId('ceremony-link').getByText(ceremonyId, { exact: true }).click();
    await expect(this.page.getByTestId('ceremony-id')).toHaveText(ceremonyId);
  }

  /** The StepId of the current step. */
  async currentStepId(): Promise<string> {
    return (await this.currentStep.getAttribute('data-step')) ?? '';
  }

  /** The checklist row of a step. */
  stepRow(stepId: string) {
    return this.page.locator(`[data-testid="ceremony-step-row"][data-step="${stepId}"]`);
  }

  /** A value the current step recorded (VALUE: the value; SHA256: the lowercase hex). */
  async output(name: string): Promise<string> {
    return (await this.currentStep.locator(`[data-testid="ceremony-step-output"][data-name="${name}"]`).getAttribute('data-value')) ?? '';
  }

  /** Fills the current step's parameters (secret ones too), by parameter name. */
  async fillParameters(values: Record<string, string>): Promise<void> {
    for (const [name, value] of Object.entries(values)) await this.currentStep.getByTestId(`ceremony-parameter-${name}`).locator('input').fill(value);
  }

  /**
   * Runs (or confirms) the current step with these parameter values and waits for its outcome;
   * resolves with the step's state then (a refused operation is FAILED, shown in `stepError`).
   */
  async runStep(values: Record<string, string> = {}): Promise<string> {
    const stepId = await this.currentStepId();
    await this.fillParameters(values);
    await this.currentStep.getByTestId('ceremony-step-run').click();
    await this.shownOrRefused(this.page.locator('[data-testid="ceremony-current-step"][data-busy="false"], [data-testid="ceremony-ready"]'), 'RunCeremonyStep', 60_000);
    const row = this.stepRow(stepId);
    await expect(row).not.toHaveAttribute('data-state', 'RUNNING');
    return (await row.getAttribute('data-state')) ?? '';
  }

  /** A witness signs the current (done) step off; waits until the sign-off is shown. */
  async signOff(officerName: string, proof: SignOffProof): Promise<void> {
    const stepId = await this.currentStepId();
    const progress = (await this.currentStep.getByTestId('ceremony-step-signoff-progress').textContent()) ?? '';
    const signed = Number(/^\d+/.exec(progress)?.[0] ?? Number.NaN);
    await this.currentStep.locator(`[data-testid="ceremony-step-signoff"][data-officer="${officerName}"]`).click();
    const dialog = this.page.getByTestId('ceremony-signoff-dialog');
    if ('pin' in proof) {
      await dialog.getByLabel(/token PIN/).fill(proof.pin);
    } else {
      await this.page.getByTestId('ceremony-signoff-method-signature').click();
      await dialog.getByLabel('Signature in base64').fill(proof.signature);
    }
    await this.page.getByTestId('ceremony-signoff-confirm').click();
    // The checklist counts the sign-off once Keyward recorded it (a refusal keeps the dialog open, with the error shown).
    const counted = this.stepRow(stepId).getByTestId('ceremony-step-row-signoffs').filter({ hasText: new RegExp(`^${signed + 1}/`) });
    await this.shownOrRefused(counted, 'SignOffCeremonyStep');
    await expect(dialog).toBeHidden();
  }

  /** RecordDeviation on the current step; with `skip`, the step is passed over. */
  async recordDeviation(note: string, options: { skip?: boolean } = {}): Promise<void> {
    await this.currentStep.getByTestId('ceremony-step-deviation').click();
    await this.page.getByTestId('ceremony-deviation-dialog').getByLabel('Deviation note').fill(note);
    if (options.skip) await this.page.getByTestId('ceremony-deviation-skip').click();
    await this.page.getByTestId('ceremony-deviation-confirm').click();
    await expect(this.page.getByTestId('ceremony-deviation-dialog')).toBeHidden();
  }

  async complete(): Promise<void> {
    await this.page.getByTestId('ceremony-complete').click();
    await this.shownOrRefused(this.page.locator('[data-testid="ceremony-state"][data-state="COMPLETED"]'), 'CompleteCeremony');
  }

  async abort(reason: string): Promise<void> {
    await this.page.getByTestId('ceremony-abort').click();
    await this.page.getByTestId('ceremony-abort-dialog').getByLabel('Reason for aborting').fill(reason);
    await this.page.getByTestId('ceremony-abort-confirm').click();
    await expect(this.ceremonyState).toHaveAttribute('data-state', 'ABORTED');
  }

  /** ExportCeremonyTranscript: resolves with the signing key's fingerprint shown (colon-grouped hex). */
  async exportTranscript(): Promise<string> {
    await this.page.getByTestId('ceremony-transcript-export').click();
    const fingerprint = this.page.getByTestId('ceremony-transcript-fingerprint');
    await this.shownOrRefused(fingerprint, 'ExportCeremonyTranscript', 60_000);
    return (await fingerprint.textContent()) ?? '';
  }

  /** Downloads one file of the exported transcript; save it with `download.saveAs(path)`. */
  async download(file: TranscriptFile): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId(DOWNLOAD_BUTTONS[file]).click()]);
    return download;
  }
}
