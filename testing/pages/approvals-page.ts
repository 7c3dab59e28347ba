import { expect, type Locator, type Page } from '@playwright/test';
import type { OperationInput } from '../../shared/contract';
import { choose } from '../naive-ui';
import { expectOutcome } from './dialog-outcome';

/** An officer's approval: the PIN of their token (Keyward signs there), or a base64 signature made elsewhere. */
export type ApprovalProof = { pin: string } | { signature: string };

/** The secret fields a request needs when it runs (e.g. `SoPin` for InitializeCluster); never part of the digest. */
export type ExecutionSecrets = Omit<OperationInput<'ExecuteApprovedRequest'>, 'ApprovalRequestId'>;

/**
 * The notice a quorum-protected operation shows instead of running: the request now waits in the
 * approvals inbox. `data-request-id` on `root` is the request's id.
 */
export class QuorumNotice {
  readonly root;
  /** The notification around the notice: its title says which operation waits for how many officers. */
  readonly notification;
  /** "digest " and the request's SHA-256 digest, the value officers sign. */
  readonly digest;
  readonly inboxLink;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('quorum-notice');
    this.notification = page.locator('.n-notification').filter({ has: this.root });
    this.digest = page.getByTestId('quorum-notice-digest');
    this.inboxLink = page.getByTestId('quorum-notice-inbox');
  }

  /** The id of the request waiting (`apr-…`). */
  async requestId(): Promise<string> {
    return (await this.root.getAttribute('data-request-id')) ?? '';
  }

  /** Follows the notice's link to the inbox (which dismisses the notice). */
  async openInbox(): Promise<ApprovalsPage> {
    await this.inboxLink.click();
    const inbox = new ApprovalsPage(this.page);
    await expect(inbox.openList).toBeVisible();
    return inbox;
  }

  /** Closes the notice without going to the inbox. */
  async dismiss(): Promise<void> {
    await this.notification.locator('.n-base-close').click();
    await expect(this.root).toHaveCount(0);
  }
}

/**
 * One open request's card in the inbox (`data-id` its id, `data-state` PENDING or READY) and what
 * can be done with it there: approve, reject, execute.
 */
export class ApprovalRequestCard {
  readonly operation;
  /** The operation's input, one row per field. */
  readonly input;
  readonly digest;
  /** "N of M" and the approving officers' names. */
  readonly progress;
  readonly approveButton;
  readonly rejectButton;
  readonly executeButton;

  constructor(
    readonly inbox: ApprovalsPage,
    readonly root: Locator,
  ) {
    this.operation = root.getByTestId('approval-request-operation');
    this.input = root.getByTestId('approval-request-input');
    this.digest = root.getByTestId('approval-request-digest');
    this.progress = root.getByTestId('approval-request-progress');
    this.approveButton = root.getByTestId('approval-request-approve');
    this.rejectButton = root.getByTestId('approval-request-reject');
    this.executeButton = root.getByTestId('approval-request-execute');
  }

  /**
   * Opens the approve dialog, picks the officer and gives the proof, and confirms; the caller judges
   * the outcome (a refusal keeps the dialog open, with the error shown). `officer` is the option's
   * label: the officer's name, `NAME (approved)` once they approved this request.
   */
  async submitApproval(officer: string, proof: ApprovalProof): Promise<void> {
    const { page, approveDialog } = this.inbox;
    await this.approveButton.click();
    await expect(approveDialog).toBeVisible();
    await choose(page, 'approve-officer', officer);
    if ('pin' in proof) {
      await page.getByTestId('approve-pin').fill(proof.pin);
    } else {
      await page.getByTestId('approve-method-signature').click();
      await approveDialog.getByLabel('Signature in base64').fill(proof.signature);
    }
    await page.getByTestId('approve-confirm').click();
  }

  /** ApproveRequest as this officer; resolves once Keyward recorded it (throws with the refusal otherwise). */
  async approve(officer: string, proof: ApprovalProof): Promise<void> {
    await this.submitApproval(officer, proof);
    await expectOutcome(this.inbox.approveDialog, this.inbox.errorNotification, 'ApproveRequest', { hidden: true });
  }

  /**
   * Opens the approve dialog on "Signature made elsewhere", where the signing commands show
   * (`inbox.signingCommands`); resolves with the digest to sign. Close it with `inbox.cancelApproval()`.
   */
  async showSigningCommands(): Promise<string> {
    await this.approveButton.click();
    await this.inbox.page.getByTestId('approve-method-signature').click();
    await expect(this.inbox.signingCommands).toBeVisible();
    return (await this.inbox.approveDigest.textContent())?.trim() ?? '';
  }

  /** RejectRequest with a reason for the audit log; resolves once the dialog closed. */
  async reject(reason = ''): Promise<void> {
    const { page, rejectDialog } = this.inbox;
    await this.rejectButton.click();
    await expect(rejectDialog).toBeVisible();
    if (reason) await page.getByTestId('reject-reason').fill(reason);
    await page.getByTestId('reject-confirm').click();
    await expectOutcome(rejectDialog, this.inbox.errorNotification, 'RejectRequest', { hidden: true });
  }

  /** Opens the execute dialog of a READY request (`inbox.executeNoSecrets` shows when it needs none). */
  async openExecute(): Promise<void> {
    await this.executeButton.click();
    await expect(this.inbox.executeDialog).toBeVisible();
  }

  /**
   * ExecuteApprovedRequest from the open execute dialog, with the secret fields the operation needs;
   * resolves with the result shown (JSON text), the dialog still open (`inbox.closeExecute()`).
   */
  async confirmExecute(secrets: ExecutionSecrets = {}): Promise<string> {
    const { page } = this.inbox;
    for (const [field, value] of Object.entries(secrets)) if (value !== undefined) await page.getByTestId(`execute-${field}`).fill(value);
    await page.getByTestId('execute-confirm').click();
    await expectOutcome(this.inbox.executeResult, this.inbox.errorNotification, 'ExecuteApprovedRequest', { timeout: 60_000 });
    return (await this.inbox.executeResult.textContent()) ?? '';
  }

  /** Runs the approved request once and closes the dialog; resolves with the result shown (JSON text). */
  async execute(secrets: ExecutionSecrets = {}): Promise<string> {
    await this.openExecute();
    const result = await this.confirmExecute(secrets);
    await this.inbox.closeExecute();
    return result;
  }
}

/** The approvals inbox (/approvals): open requests as cards, closed ones in the history. */
export class ApprovalsPage {
  readonly openList;
  /** Every open request's card; `request()` gives one with its actions. */
  readonly requests;
  /** Shown when nothing waits for approval. */
  readonly empty;
  /** The menu's count of open requests: `data-count` (absent while none is open). */
  readonly navCount;
  readonly history;
  /** The history's state tags (EXECUTED, REJECTED, EXPIRED), in table order. */
  readonly historyStates;
  readonly approveDialog;
  /** The approve dialog's copy of the digest to sign. */
  readonly approveDigest;
  /** The approve dialog's openssl / pkcs11-tool commands (on "Signature made elsewhere"). */
  readonly signingCommands;
  readonly rejectDialog;
  readonly executeDialog;
  /** Shown in the execute dialog when the operation needs no secret fields. */
  readonly executeNoSecrets;
  readonly executeResult;
  /** The console's error notifications: data-code is the refusal's error code. */
  readonly errorNotification;

  constructor(readonly page: Page) {
    this.openList = page.getByTestId('approvals-open');
    this.requests = page.getByTestId('approval-request');
    this.empty = page.getByTestId('approvals-empty');
    this.navCount = page.getByTestId('nav-approvals-count');
    this.history = page.getByTestId('approvals-history');
    this.historyStates = page.getByTestId('approval-history-state');
    this.approveDialog = page.getByTestId('approve-dialog');
    this.approveDigest = page.getByTestId('approve-digest');
    this.signingCommands = page.getByTestId('approve-commands');
    this.rejectDialog = page.getByTestId('reject-dialog');
    this.executeDialog = page.getByTestId('execute-dialog');
    this.executeNoSecrets = page.getByTestId('execute-no-secrets');
    this.executeResult = page.getByTestId('execute-result');
    this.errorNotification = page.getByTestId('error-notification');
  }

  /** Opens the inbox from the menu. */
  async open(): Promise<void> {
    await this.page.getByTestId('nav-approvals').click();
    await expect(this.openList).toBeVisible();
  }

  /** An open request's card, by its id; without one, the only open request (strict: fails if several). */
  request(requestId?: string): ApprovalRequestCard {
    const root = requestId ? this.page.locator(`[data-testid="approval-request"][data-id="${requestId}"]`) : this.requests;
    return new ApprovalRequestCard(this, root);
  }

  /** Closes the approve dialog without approving. */
  async cancelApproval(): Promise<void> {
    await this.page.getByTestId('approve-cancel').click();
    await expect(this.approveDialog).toBeHidden();
  }

  /** Closes the execute dialog ("Done" once it ran). */
  async closeExecute(): Promise<void> {
    await this.page.getByTestId('execute-cancel').click();
    await expect(this.executeDialog).toBeHidden();
  }

  /** Unfolds the history of closed requests. */
  async openHistory(): Promise<void> {
    await this.history.getByText(/^History/).click();
    await expect(this.page.getByTestId('approvals-history-table')).toBeVisible();
  }
}
