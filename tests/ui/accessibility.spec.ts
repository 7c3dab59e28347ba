import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { NodeResult as AxeNode } from 'axe-core';
import { KEY_USER_PERMISSION } from '../../shared/contract';
import { UnlockPage } from '../../testing';
import { expect, test, type KmsClient } from './fixtures';
import { consoleOpen, PASSWORD } from './steps';

/**
 * axe-core over every page of the console and its main dialogs, with real data behind them (made
 * through the host's operations): no WCAG 2.1 A/AA violation of impact serious or critical.
 */

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);
const SECTIONS = ['clusters', 'keystores', 'keys', 'aliases', 'secrets', 'access-points', 'xks-proxies', 'officers', 'approvals', 'ceremonies', 'audit', 'backup'];

/** Where Naive UI teleports open dialogs. */
const DIALOGS = '.n-modal-container';

const SO_PIN = 'Officer-SO-5521';
const KMSUSER_PASSWORD = 'Kmsuser2026store';

/** What the console renders once its data arrived: no spinner, no transition half-way. */
async function settle(page: Page): Promise<void> {
  await expect(page.locator('svg.n-base-loading__icon:visible')).toHaveCount(0);
  await page.waitForTimeout(350);
}

/** Serious and critical violations on the page as it is now, one line each, prefixed with `where`. */
async function blockingViolations(page: Page, where: string, scope?: string): Promise<string[]> {
  await settle(page);
  const builder = new AxeBuilder({ page })
    .withTags(WCAG_TAGS)
    // Naive UI's number input: its +/- step buttons are internal, unnamed and out of the tab order
    // (tabindex -1; the input's arrow keys do the same and the input itself is labelled). No prop names them.
    .exclude('.n-input-number .n-input__suffix > .n-button');
  if (scope) builder.include(scope);
  const results = await builder.analyze();
  return results.violations
    .filter((violation) => BLOCKING_IMPACTS.has(violation.impact ?? ''))
    .map((violation) => `${where}: ${violation.id} (${violation.impact}) at ${violation.nodes.map(describeNode).join(', ')}`);
}

/** A failing element's selector; for contrast, the colours axe measured too. */
function describeNode(node: AxeNode): string {
  const target = node.target.join(' ');
  const data: unknown = node.any[0]?.data;
  if (typeof data === 'object' && data !== null && 'contrastRatio' in data && 'fgColor' in data && 'bgColor' in data) {
    return `${target} [${String(data.fgColor)} on ${String(data.bgColor)}: ${String(data.contrastRatio)}]`;
  }
  return target;
}

/** Collects the findings of every page of a test, so one run names them all. */
function auditor(page: Page) {
  const found: string[] = [];
  return {
    found,
    /** Checks the page, or only what `scope` selects (a dialog over a page checked already). */
    async check(where: string, scope?: string): Promise<void> {
      found.push(...(await blockingViolations(page, where, scope)));
    },
  };
}

async function openSection(page: Page, section: string): Promise<void> {
  await page.getByTestId(`nav-${section}`).click();
  await expect(page.getByTestId(`nav-${section}`)).toHaveAttribute('aria-current', 'page');
}

/** Client-side navigation to a console address (the session survives; no reload needed). */
async function go(page: Page, hash: string): Promise<void> {
  // A string: this project's Node types have no DOM.
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
}

/** A connected key store on an active one-HSM lab cluster, made over the host's operations. */
async function clusterKeyStore(kms: KmsClient, moduleId: string): Promise<{ clusterId: string; keyStoreId: string }> {
  const { ClusterId } = await kms.call('CreateCluster', { ClusterName: 'a11y-lab', Description: 'accessibility lab cluster', AllowSingleHsm: true });
  const { Module } = await kms.call('DescribeModule', { ModuleId: moduleId });
  const slot = Module.Slots.find((candidate) => candidate.Token && !candidate.Token.Initialized);
  if (!slot) throw new Error('the lab HSM has no blank token');
  await kms.call('CreateHsm', { ClusterId, ModuleId: moduleId, Zone: 'lab-zone', SlotId: slot.SlotId });
  const { ClusterOwnerCertificate } = await kms.call('InitializeCluster', { ClusterId, SoPin: SO_PIN });
  await kms.call('CreateCryptoUser', { ClusterId, UserName: 'kmsuser', Password: KMSUSER_PASSWORD, SoPin: SO_PIN });
  await kms.call('ActivateCluster', { ClusterId });
  const { KeyStoreId } = await kms.call('CreateKeyStore', {
    KeyStoreName: 'a11y-store',
    ClusterId,
    KeyStorePassword: KMSUSER_PASSWORD,
    TrustAnchorCertificate: ClusterOwnerCertificate,
  });
  await kms.call('ConnectKeyStore', { KeyStoreId, KeyStorePassword: KMSUSER_PASSWORD });
  return { clusterId: ClusterId, keyStoreId: KeyStoreId };
}

/** Keys, an alias, a secret, access control and an XKS proxy: every list has rows. */
async function seedData(kms: KmsClient): Promise<{ keyId: string; secretName: string }> {
  const { KeyMetadata } = await kms.call('CreateKey', { KeySpec: 'Aliyun_AES_256', Description: 'Payments data key' });
  await kms.call('CreateKey', { KeySpec: 'EC_P256', KeyUsage: 'SIGN/VERIFY', Description: 'Release signing' });
  await kms.call('CreateAlias', { AliasName: 'alias/payments/data', KeyId: KeyMetadata.KeyId });
  const secretName = 'prod/db/password';
  await kms.call('CreateSecret', { SecretName: secretName, SecretData: 'not-a-real-password', VersionId: 'v1', Description: 'Payments database' });
  await kms.call('CreateNetworkRule', { Name: 'loopback', Type: 'Private', SourcePrivateIp: ['127.0.0.1'], Description: '' });
  await kms.call('CreatePolicy', {
    Name: 'payments-app',
    Permissions: [KEY_USER_PERMISSION],
    Resources: ['key/*'],
    AccessControlRules: { NetworkRules: ['loopback'] },
    Description: '',
  });
  await kms.call('CreateApplicationAccessPoint', { Name: 'payments-app', AuthenticationMethod: 'ClientKey', Policies: ['payments-app'], Description: '' });
  await kms.call('CreateXksProxy', { Name: 'cloud-xks', UriPath: '/cloud', KeyStoreId: 'kst-default' });
  return { keyId: KeyMetadata.KeyId, secretName };
}

/** Opens a dialog with its button, checks it, and closes it with Escape. */
async function checkDialog(page: Page, audit: ReturnType<typeof auditor>, opener: string, dialog: string): Promise<void> {
  await page.getByTestId(opener).click();
  await expect(page.getByTestId(dialog)).toBeVisible();
  await audit.check(`dialog ${dialog}`, DIALOGS);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId(dialog)).toBeHidden();
}

test.describe('with data', () => {
  test.use({ tokens: ['A11y lab HSM'] });

  test('every page and main dialog of the console has no serious or critical WCAG 2.1 AA violation', async ({ page, kms, keyward }) => {
    test.setTimeout(600_000);
    const { clusterId, keyStoreId } = await clusterKeyStore(kms, keyward.tokens[0]?.moduleId ?? '');
    const { keyId, secretName } = await seedData(kms);
    await consoleOpen(page);
    const audit = auditor(page);

    for (const section of SECTIONS) {
      await openSection(page, section);
      await audit.check(`page ${section}`);
    }
    await go(page, `#/keys/${keyId}`);
    await expect(page.getByTestId('key-detail-metadata')).toBeVisible();
    await audit.check('key detail');
    for (const tab of ['versions', 'aliases', 'tags', 'crypto']) {
      await page.getByTestId(`key-tab-${tab}`).click();
      await audit.check(`key detail, ${tab} tab`);
    }
    await page.getByTestId('key-tab-metadata').click();
    await page.getByTestId('key-action-disable').click();
    await expect(page.getByTestId('key-transition-dialog')).toBeVisible();
    await audit.check('dialog disable key', DIALOGS);
    await page.keyboard.press('Escape');

    await go(page, '#/keystores/kst-default');
    await audit.check('default key store');
    await go(page, `#/keystores/${keyStoreId}`);
    await audit.check('cluster key store');
    await go(page, `#/clusters/${clusterId}`);
    await audit.check('cluster');
    await go(page, '#/clusters/setup');
    await audit.check('cluster set-up wizard');
    await go(page, `#/secrets/${encodeURIComponent(secretName)}`);
    await expect(page.getByTestId('secret-value-masked')).toBeVisible();
    await audit.check('secret detail');

    await openSection(page, 'keys');
    await checkDialog(page, audit, 'create-key-button', 'create-key-dialog');
    await openSection(page, 'secrets');
    await checkDialog(page, audit, 'create-secret-button', 'create-secret-dialog');
    await openSection(page, 'officers');
    await checkDialog(page, audit, 'officer-enroll-button', 'officer-enroll-dialog');
    await openSection(page, 'xks-proxies');
    await checkDialog(page, audit, 'create-xks-proxy', 'xks-proxy-dialog');

    // The unlock screen, after a lock.
    await page.getByTestId('lock-button').click();
    await expect(new UnlockPage(page).password).toBeVisible();
    await audit.check('unlock screen');
    await new UnlockPage(page).unlock(PASSWORD);

    expect(audit.found, 'serious or critical accessibility violations').toEqual([]);
  });
});

test('the console in Chinese has no serious or critical WCAG 2.1 AA violation', async ({ page, kms }) => {
  test.setTimeout(300_000);
  const { keyId, secretName } = await seedData(kms);
  await consoleOpen(page);
  await page.getByTestId('language-switch').getByTestId('language-zh-CN').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  const audit = auditor(page);

  // The pages' structure and colours are the same in both languages (checked above in English): in
  // Chinese what can differ is the page's language and longer or wrapped labels, so a sample of the
  // densest pages does, and keeps the suite's time in bounds.
  for (const section of ['keys', 'secrets', 'access-points', 'audit', 'backup']) {
    await openSection(page, section);
    await audit.check(`zh-CN page ${section}`);
  }
  await go(page, `#/keys/${keyId}`);
  await expect(page.getByTestId('key-detail-metadata')).toBeVisible();
  await audit.check('zh-CN key detail');
  await go(page, `#/secrets/${encodeURIComponent(secretName)}`);
  await expect(page.getByTestId('secret-value-masked')).toBeVisible();
  await audit.check('zh-CN secret detail');
  await openSection(page, 'keys');
  await checkDialog(page, audit, 'create-key-button', 'create-key-dialog');
  await page.getByTestId('lock-button').click();
  await expect(new UnlockPage(page).password).toBeVisible();
  await audit.check('zh-CN unlock screen');

  expect(audit.found, 'serious or critical accessibility violations').toEqual([]);
});

test.describe('first run', () => {
  test.use({ initialize: false });

  test('the first-run screen has no serious or critical WCAG 2.1 AA violation', async ({ page, keyward }) => {
    await page.goto(keyward.url);
    await expect(page.getByTestId('setup-password')).toBeVisible();
    const audit = auditor(page);
    await audit.check('first-run screen');
    await page.getByTestId('setup-password').fill('short1');
    await audit.check('first-run screen with a refused password');
    expect(audit.found, 'serious or critical accessibility violations').toEqual([]);
  });
});
