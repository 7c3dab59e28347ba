import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { createSoftHsmFixture, initializeTokenWithUtil, SOFTHSM_MODULE_PATH, type SoftHsmFixture } from '../support/softhsm';
import { expect, screen, test } from './fixtures';
import { choose, consoleOpen, createKey } from './steps';

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

async function enroll(page: Page, moduleLabel: string, officer: OfficerToken): Promise<void> {
  await page.getByTestId('officer-enroll-button').click();
  await page.getByTestId('officer-enroll-name').fill(officer.name);
  await choose(page, 'officer-enroll-module', moduleLabel);
  await choose(page, 'officer-enroll-token', `${officer.name} (serial ${officer.serial})`);
  await expect(page.getByTestId('officer-enroll-label')).toHaveValue('approval');
  await page.getByTestId('officer-enroll-pin').fill(pinOf(officer.name));
  await page.getByTestId('officer-enroll-confirm').click();
  await expect(page.getByTestId('officer-enroll-fingerprint')).toHaveText(officer.fingerprint);
  await page.getByTestId('officer-enroll-cancel').click();
  await expect(page.getByTestId('officer-enroll-dialog')).toBeHidden();
}

async function approve(page: Page, officerLabel: string, pin: string): Promise<void> {
  await page.getByTestId('approval-request-approve').click();
  await choose(page, 'approve-officer', officerLabel);
  await page.getByTestId('approve-pin').fill(pin);
  await page.getByTestId('approve-confirm').click();
}

test('officers approve a key deletion 2 of 3 on their own tokens, then it runs once', async ({ page, keyward, kms }) => {
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

    await page.getByTestId('nav-officers').click();
    await expect(page.getByTestId('quorum-policy-none')).toBeVisible();
    for (const officer of tokens) await enroll(page, `Officer tokens (${ModuleId})`, officer);
    const rows = page.getByTestId('officers-table').locator('tbody tr');
    await expect(rows).toHaveCount(3);
    await expect(page.getByTestId('officer-row-state')).toHaveText(['ENABLED', 'ENABLED', 'ENABLED']);
    await expect(page.getByTestId('officer-row-fingerprint').first()).toHaveAttribute('data-value', tokens[0]?.fingerprint ?? '-');

    // The defaults are offered; this ceremony protects key deletion only.
    await page.getByTestId('quorum-policy-edit').click();
    await expect(page.getByTestId('quorum-policy-operations')).toContainText('InitializeCluster');
    await page.getByTestId('quorum-policy-operations').hover();
    await page.getByTestId('quorum-policy-operations').locator('.n-base-clear').click();
    await choose(page, 'quorum-policy-operations', 'ScheduleKeyDeletion');
    await page.keyboard.press('Escape');
    await page.getByTestId('quorum-policy-save').click();
    await expect(page.getByTestId('quorum-policy-operation')).toHaveText(['ScheduleKeyDeletion']);
    await expect(page.getByTestId('quorum-policy-summary')).toContainText('2 distinct officers');
    await screen(page, 'quorum-officers');

    const keyId = await createKey(page, 'Aliyun_AES_256', undefined, { description: 'Quorum-protected key' });
    await page.getByTestId('key-action-schedule-deletion').click();
    await page.getByTestId('pending-window-days').fill('7');
    await page.getByTestId('pending-window-days').blur();
    await page.getByTestId('key-transition-confirm').click();
    const notice = page.getByTestId('quorum-notice');
    await expect(notice).toBeVisible();
    await expect(page.locator('.n-notification').filter({ has: notice })).toContainText("Waiting for approvals: ScheduleKeyDeletion needs 2 officers' approval");
    await expect(page.getByTestId('quorum-notice-digest')).toHaveText(/^digest [0-9a-f]{64}$/);
    await expect(page.getByTestId('error-notification')).toHaveCount(0);
    await expect(page.getByTestId('key-detail-state')).toHaveText('Enabled');
    await screen(page, 'quorum-waiting');
    const requestId = (await notice.getAttribute('data-request-id')) ?? '';
    expect(requestId).toMatch(/^apr-/);

    await page.getByTestId('quorum-notice-inbox').click();
    await expect(page.getByTestId('nav-approvals-count')).toHaveAttribute('data-count', '1');
    const request = page.getByTestId('approval-request');
    await expect(request).toHaveAttribute('data-id', requestId);
    await expect(page.getByTestId('approval-request-operation')).toHaveText('ScheduleKeyDeletion');
    await expect(page.getByTestId('approval-request-input')).toContainText(keyId);
    await expect(page.getByTestId('approval-request-progress')).toHaveText('0 of 2');
    await expect(page.getByTestId('approval-request-execute')).toBeDisabled();

    await approve(page, 'alice', pinOf('alice'));
    await expect(page.getByTestId('approval-request-progress')).toHaveText('1 of 2 (alice)');
    // The same officer twice does not make a quorum: refused, and the request stays PENDING.
    await approve(page, 'alice (approved)', pinOf('alice'));
    await expect(page.getByTestId('error-notification').filter({ hasText: 'distinct officers' })).toHaveAttribute('data-code', 'AlreadyExists.Approval');
    await page.getByTestId('approve-cancel').click();
    await expect(request).toHaveAttribute('data-state', 'PENDING');

    // Approving away from Keyward: the dialog shows how to sign the digest with openssl or pkcs11-tool.
    await page.getByTestId('approval-request-approve').click();
    await page.getByTestId('approve-method-signature').click();
    await expect(page.getByTestId('approve-commands')).toContainText(`printf '%s' ${(await page.getByTestId('approve-digest').textContent()) ?? '-'} | xxd -r -p > digest.bin`);
    await screen(page, 'quorum-approve-signature');
    await page.getByTestId('approve-cancel').click();
    await approve(page, 'bob', pinOf('bob'));
    await expect(request).toHaveAttribute('data-state', 'READY');
    await expect(page.getByTestId('approval-request-progress')).toHaveText('2 of 2 (alice, bob)');
    await screen(page, 'quorum-inbox-ready');

    await page.getByTestId('approval-request-execute').click();
    await expect(page.getByTestId('execute-no-secrets')).toBeVisible();
    await page.getByTestId('execute-confirm').click();
    await expect(page.getByTestId('execute-result')).toContainText('PendingDeletion');
    await page.getByTestId('execute-cancel').click();
    await expect(page.getByTestId('approvals-empty')).toBeVisible();
    await page.getByTestId('approvals-history').getByText(/^History/).click();
    await expect(page.getByTestId('approval-history-state')).toHaveText(['EXECUTED']);

    await page.goto(`${new URL(keyward.url).origin}/#/keys/${keyId}`);
    await expect(page.getByTestId('key-detail-state')).toHaveText('PendingDeletion');

    // With a policy in force, changing it waits for the quorum too.
    await page.getByTestId('nav-officers').click();
    await page.getByTestId('quorum-policy-edit').click();
    await expect(page.getByTestId('quorum-policy-protected')).toBeVisible();
    await page.getByTestId('quorum-policy-min').locator('input').fill('3');
    await page.getByTestId('quorum-policy-save').click();
    await expect(page.locator('.n-notification').filter({ has: page.getByTestId('quorum-notice') })).toContainText('UpdateQuorumPolicy needs 2');
    await expect(page.getByTestId('quorum-policy-pending')).toContainText('1 policy change(s) waiting for approvals');
    await expect(page.getByTestId('quorum-policy-summary')).toContainText('2 distinct officers');
    await screen(page, 'quorum-policy-change-waiting');
    await page.locator('.n-notification').filter({ has: page.getByTestId('quorum-notice') }).locator('.n-base-close').click();
    await expect(page.getByTestId('quorum-notice')).toHaveCount(0);

    // Disabling is refused once fewer enabled officers than the quorum would remain.
    const disable = async (name: string): Promise<void> => {
      await page.getByTestId('officers-table').locator('tbody tr').filter({ hasText: name }).getByTestId('officer-disable').click();
      await page.getByRole('button', { name: `Disable ${name}` }).last().click();
    };
    await disable('carol');
    await expect(page.getByTestId('officer-row-state')).toHaveText(['ENABLED', 'ENABLED', 'DISABLED']);
    await disable('bob');
    await expect(page.getByTestId('error-notification').filter({ hasText: 'fewer than the 2 approvals' })).toHaveAttribute('data-code', 'Forbidden.Quorum');
    await expect(page.getByTestId('officer-row-state')).toHaveText(['ENABLED', 'ENABLED', 'DISABLED']);
    await screen(page, 'quorum-officers-refusals');
  } finally {
    await fixture.cleanup();
  }
});
