import type { Page } from '@playwright/test';
import { KeyDetailPage, KeysPage, type KeyTab } from '../../testing';
import { isLanguage } from '../support/english-text';
import { expect, screen, test } from './fixtures';
import { consoleOpen } from './steps';

/**
 * Every text node an officer can see, except code and values shown as written (ids, blobs, PEM,
 * command lines: `.mono`, <code>, <pre>, `translate="no"`), text marked as another language (the
 * language switch names each language in its own), and what the officer typed into inputs; plus the
 * accessible names a screen reader speaks. Run in the page (this project's Node types have no DOM).
 */
const VISIBLE_TEXTS = `(() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent || '').trim();
    const parent = node.parentElement;
    if (!text || !parent) continue;
    if (parent.closest('code, pre, kbd, .mono, [translate="no"], [lang]:not([lang="zh-CN"]), script, style, textarea')) continue;
    const rect = parent.getBoundingClientRect();
    const style = getComputedStyle(parent);
    if (rect.width === 0 || rect.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
    texts.push(text);
  }
  for (const element of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
    // Naive UI names its spinner "loading" and a dialog's close button "close" in every language (no prop changes them).
    if (element.closest('[translate="no"], [lang]:not([lang="zh-CN"]), .n-base-loading, .n-base-close')) continue;
    for (const attribute of ['aria-label', 'title', 'placeholder']) {
      const value = (element.getAttribute(attribute) || '').trim();
      if (value) texts.push(attribute + ': ' + value);
    }
  }
  return texts;
})()`;

/** Resources the core named at first run: data, shown as stored (an officer reads them in the API too). */
const STORED_NAMES = ['Default key store', 'SoftHSM2 (default key store)'];

async function visibleEnglish(page: Page): Promise<string[]> {
  const texts = await page.evaluate<string[]>(VISIBLE_TEXTS);
  return texts.filter((text) => {
    let spoken = text.replace(/^(aria-label|title|placeholder): /, '');
    for (const name of STORED_NAMES) spoken = spoken.replaceAll(name, '');
    return isLanguage(spoken);
  });
}

async function expectAllChinese(page: Page, where: string): Promise<void> {
  await expect(page.locator('svg.n-base-loading__icon:visible')).toHaveCount(0);
  // Soft: one run lists what is left on every page, not only the first.
  await page.waitForTimeout(300);
  expect.soft(await visibleEnglish(page), `English left on ${where}`).toEqual([]);
}

async function switchToChinese(page: Page): Promise<void> {
  await page.getByTestId('language-zh-CN').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('language-zh-CN')).toHaveAttribute('aria-pressed', 'true');
}

const SECTIONS = ['clusters', 'keystores', 'keys', 'aliases', 'secrets', 'access-points', 'xks-proxies', 'officers', 'approvals', 'ceremonies', 'audit', 'backup'];
const KEY_TABS: KeyTab[] = ['metadata', 'versions', 'aliases', 'tags', 'crypto'];

test('in Chinese every page of the console shows no English outside names, codes and values', async ({ page, kms }) => {
  // Data the pages list, named in Chinese as an officer there would.
  const { KeyMetadata } = await kms.call('CreateKey', { KeySpec: 'EC_P256', KeyUsage: 'SIGN/VERIFY', Description: '支付签名密钥', Alias: 'alias/payments/sign' });
  await kms.call('CreateSecret', { SecretName: 'prod/db/password', SecretData: 'not-a-real-password', VersionId: 'v1', Description: '生产数据库密码' });

  await consoleOpen(page);
  await switchToChinese(page);
  for (const section of SECTIONS) {
    await page.getByTestId(`nav-${section}`).click();
    await expect(page.getByTestId(`nav-${section}`)).toHaveAttribute('aria-current', 'page');
    await expectAllChinese(page, section);
    if (['keys', 'secrets', 'audit', 'officers', 'ceremonies'].includes(section)) await screen(page, `zh-CN-${section}`);
  }

  const detail = new KeyDetailPage(page);
  await detail.goto(KeyMetadata.KeyId);
  for (const tab of KEY_TABS) {
    await detail.openTab(tab);
    await expectAllChinese(page, `key page, tab ${tab}`);
  }
  await screen(page, 'zh-CN-key-detail');

  await page.getByTestId('nav-keys').click();
  await page.getByTestId('create-key-button').click();
  await expect(page.getByTestId('create-key-dialog')).toBeVisible();
  await expectAllChinese(page, 'the create key dialog');
  await screen(page, 'zh-CN-create-key-dialog');
  await page.keyboard.press('Escape');

  await page.getByTestId('nav-secrets').click();
  await page.getByText('prod/db/password', { exact: true }).click();
  await expectAllChinese(page, 'a secret page');
  await expect(page).toHaveTitle(/凭据 · Keyward/);
});

test('the chosen language is remembered across a reload, and English comes back as it was', async ({ page }) => {
  await consoleOpen(page);
  await expect(page.getByTestId('nav-keys')).toHaveText('Keys');
  await switchToChinese(page);
  await expect(page.getByTestId('nav-keys')).toHaveText('密钥');
  await page.reload();
  await expect(page.getByTestId('nav-keys')).toHaveText('密钥');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByTestId('language-en').click();
  await expect(page.getByTestId('nav-keys')).toHaveText('Keys');
  await expect(page).toHaveTitle('Keys · Keyward');
});

test.describe('before the first key store exists', () => {
  test.use({ initialize: false });

  test('the first-run screen can be read in Chinese', async ({ page }) => {
    await expect(page.getByTestId('setup-submit')).toBeVisible();
    await switchToChinese(page);
    await expectAllChinese(page, 'the first-run screen');
    await screen(page, 'zh-CN-first-run');
  });
});

test.describe("the testing kit's language option", () => {
  test.use({ language: 'zh-CN' });

  test('opens the console in Chinese, and the page objects drive it by test id', async ({ page, kms }) => {
    await consoleOpen(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByTestId('nav-keys')).toHaveText('密钥');
    const keyId = await new KeysPage(page).createKey({ spec: 'Aliyun_AES_256', alias: 'zh/first', description: '第一个密钥' });
    const { KeyMetadata } = await kms.call('DescribeKey', { KeyId: keyId });
    expect(KeyMetadata.Description).toBe('第一个密钥');
  });
});
