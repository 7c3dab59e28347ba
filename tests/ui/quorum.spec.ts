import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { KeyDetailPage, OfficersPage, QuorumNotice } from '../../testing';
import { createSoftHsmFixture, initializeTokenWithUtil, SOFTHSM_MODULE_PATH, type SoftHsmFixture } from '../support/softhsm';
import { expect, screen, test } from './fixtures';
import { consoleOpen, createKey } from './steps';

const OFFICERS = ['alice', 'bob', 'carol'] as const;
const soPinOf = (name: string): string => `${name}-So-2026`;
/** initializeTokenWithUtil sets the user PIN to the SO PIN + "-user". */
const pinOf = (name: string): string => `${soPinOf(name)}-user`;

interface OfficerToken {
  name: string;
  serial: string;
  /** SHA-256 of the DER public key pkcs11-tool reads back from the token: what the officer compares. */
  fingerprint: string;
}

/** One SoftHSM2 token per officer with an EC P-256 approval key, made as an officer would with pkcs11-tool. */
function makeOfficerTokens(fixture: SoftHsmFixture): OfficerToken[] {
  const env = { ...process.env, SOFTHSM2_CONF: fixture.confPath };
  const tool = (name: string, args: string[]): Buffer =>
    execFileSync('pkcs11-tool', ['--module', SOFTHSM_MODULE_PATH, '--token-label', name, ...args], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  return OFFICERS.map((name) => {
    const serial = initializeTokenWithUtil(fixture, name, soPinOf(name));
    tool(name, ['--login', '--pin', pinOf(name), '--keypairgen', '--key-type', 'EC:prime256v1', '--label', 'approval', '--id', '01']);
    const der = tool(name, ['--read-object', '--type', 'pubkey', '--label', 'approval']);
    return { name, serial, fingerprint: createHash('sha256').update(der).digest('hex') };
  });
}

test('officers approve a key deletion 2 of 3 on their own tokens, then it runs once', async ({ page, kms }) => {
  test.setTimeout(240_000);
  const fixture = await createSoftHsmFixture('keyward-ui-officers-');
  try {
    const tokens = makeOfficerTokens(fixture);
    await consoleOpen(page);
    const { ModuleId } = await kms.call('RegisterModule', {
      Path: SOFTHSM_MODULE_PATH,
      Name: 'Officer tokens',
      Environment: { SOFTHSM2_CONF: fixture.confPath },
    });

    const officers = new OfficersPage(page);
    await officers.open();
    await expect(officers.policyNone).toBeVisible();
    for (const officer of tokens) {
      await officers.fillEnrollment({ name: officer.name, module: `Officer tokens (${ModuleId})`, token: `${officer.name} (serial ${officer.serial})`, pin: pinOf(officer.name) });
      await expect(officers.enrollKeyLabel).toHaveValue('approval');
      expect(await officers.confirmEnrollment()).toBe(officer.fingerprint);
    }
    await expect(officers.rows).toHaveCount(3);
    await expect(officers.rowStates).toHaveText(['ENABLED', 'ENABLED', 'ENABLED']);
    await expect(officers.rowFingerprints.first()).toHaveAttribute('data-value', tokens[0]?.fingerprint ?? '-');

    // The defaults are offered; this ceremony protects key deletion only.
    await officers.openPolicyDialog();
    await expect(officers.policyOperationsSelect).toContainText('InitializeCluster');
    await officers.fillPolicy({ operations: ['ScheduleKeyDeletion'] });
    await officers.savePolicy();
    await expect(officers.policyOperations).toHaveText(['ScheduleKeyDeletion']);
    await expect(officers.policySummary).toContainText('2 distinct officers');
    await screen(page, 'quorum-officers');

    const keyId = await createKey(page, 'Aliyun_AES_256', undefined, { description: 'Quorum-protected key' });
    const key = new KeyDetailPage(page);
    await key.startTransition('schedule-deletion');
    await key.setPendingWindow(7);
    await key.confirmTransition();
    const notice = new QuorumNotice(page);
    await expect(notice.root).toBeVisible();
    await expect(notice.notification).toContainText("Waiting for approvals: ScheduleKeyDeletion needs 2 officers' approval");
    await expect(notice.digest).toHaveText(/^digest [0-9a-f]{64}$/);
    await expect(officers.errorNotification).toHaveCount(0);
    await expect(key.state).toHaveText('Enabled');
    await screen(page, 'quorum-waiting');
    const requestId = await notice.requestId();
    expect(requestId).toMatch(/^apr-/);

    const approvals = await notice.openInbox();
    await expect(approvals.navCount).toHaveAttribute('data-count', '1');
    const request = approvals.request();
    await expect(request.root).toHaveAttribute('data-id', requestId);
    await expect(request.operation).toHaveText('ScheduleKeyDeletion');
    await expect(request.input).toContainText(keyId);
    await expect(request.progress).toHaveText('0 of 2');
    await expect(request.executeButton).toBeDisabled();

    await request.approve('alice', { pin: pinOf('alice') });
    await expect(request.progress).toHaveText('1 of 2 (alice)');
    // The same officer twice does not make a quorum: refused, and the request stays PENDING.
    await request.submitApproval('alice (approved)', { pin: pinOf('alice') });
    await expect(approvals.errorNotification.filter({ hasText: 'distinct officers' })).toHaveAttribute('data-code', 'AlreadyExists.Approval');
    await approvals.cancelApproval();
    await expect(request.root).toHaveAttribute('data-state', 'PENDING');

    // Approving away from Keyward: the dialog shows how to sign the digest with openssl or pkcs11-tool.
    const digest = await request.showSigningCommands();
    await expect(approvals.signingCommands).toContainText(`printf '%s' ${digest} | xxd -r -p > digest.bin`);
    await screen(page, 'quorum-approve-signature');
    await approvals.cancelApproval();
    await request.approve('bob', { pin: pinOf('bob') });
    await expect(request.root).toHaveAttribute('data-state', 'READY');
    await expect(request.progress).toHaveText('2 of 2 (alice, bob)');
    await screen(page, 'quorum-inbox-ready');

    await request.openExecute();
    await expect(approvals.executeNoSecrets).toBeVisible();
    await request.confirmExecute();
    await expect(approvals.executeResult).toContainText('PendingDeletion');
    await approvals.closeExecute();
    await expect(approvals.empty).toBeVisible();
    await approvals.openHistory();
    await expect(approvals.historyStates).toHaveText(['EXECUTED']);

    await key.goto(keyId);
    await expect(key.state).toHaveText('PendingDeletion');

    // With a policy in force, changing it waits for the quorum too.
    await officers.open();
    await officers.openPolicyDialog();
    await expect(officers.policyProtected).toBeVisible();
    await officers.fillPolicy({ minApprovals: 3 });
    await officers.savePolicy();
    await expect(notice.notification).toContainText('UpdateQuorumPolicy needs 2');
    await expect(officers.policyPending).toContainText('1 policy change(s) waiting for approvals');
    await expect(officers.policySummary).toContainText('2 distinct officers');
    await screen(page, 'quorum-policy-change-waiting');
    await notice.dismiss();

    // Disabling is refused once fewer enabled officers than the quorum would remain.
    await officers.disable('carol');
    await expect(officers.rowStates).toHaveText(['ENABLED', 'ENABLED', 'DISABLED']);
    await officers.disable('bob');
    await expect(officers.errorNotification.filter({ hasText: 'fewer than the 2 approvals' })).toHaveAttribute('data-code', 'Forbidden.Quorum');
    await expect(officers.rowStates).toHaveText(['ENABLED', 'ENABLED', 'DISABLED']);
    await screen(page, 'quorum-officers-refusals');
  } finally {
    await fixture.cleanup();
  }
});
