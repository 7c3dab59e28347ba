import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { consoleOpen } from './steps';

/**
 * The console without a mouse: only `page.keyboard` drives it here (no click, no fill), and each
 * step checks where focus is and what the keys did, through the host's operations.
 */

/** Presses Tab (Shift+Tab going back) until `target` has focus; fails if it is not reached within `limit` presses. */
async function tabTo(page: Page, target: Locator, { limit = 40, back = false } = {}): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    if (await target.evaluate((element) => element === element.ownerDocument.activeElement || element.contains(element.ownerDocument.activeElement))) break;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  await expect(target).toBeFocused();
}

/** The element that has focus now is inside `container`. */
async function expectFocusInside(container: Locator): Promise<void> {
  await expect.poll(() => container.evaluate((element) => element.contains(element.ownerDocument.activeElement))).toBe(true);
}

test('navigation, a table row, a dialog and a confirmation work from the keyboard alone', async ({ page, kms }) => {
  const { KeyMetadata: existing } = await kms.call('CreateKey', { KeySpec: 'Aliyun_AES_256', Description: 'Reached from the keyboard' });
  await consoleOpen(page);

  // The navigation comes after the header in tab order; its links open their pages with Enter.
  await tabTo(page, page.getByTestId('nav-clusters'));
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('nav-keystores')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('nav-keystores')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('keystores-table')).toContainText('DEFAULT');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('nav-keys')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('nav-keys')).toHaveAttribute('aria-current', 'page');

  // Create key: Enter on the button opens the dialog with focus inside it.
  const dialog = page.getByTestId('create-key-dialog');
  const createButton = page.getByTestId('create-key-button');
  await tabTo(page, createButton);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await expectFocusInside(dialog);
  // Escape closes it without creating anything, and focus goes back to the button that opened it.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(createButton).toBeFocused();

  // Again, this time filled and submitted from the keyboard.
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await expectFocusInside(dialog);
  await tabTo(page, page.getByTestId('create-key-description'));
  await page.keyboard.type('Typed without a mouse');
  await tabTo(page, page.getByTestId('create-key-alias'));
  await page.keyboard.type('keyboard/made');
  const submit = page.getByTestId('create-key-submit');
  await tabTo(page, submit);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('key-detail-metadata')).toBeVisible({ timeout: 60_000 });
  const { KeyMetadata: made } = await kms.call('DescribeKey', { KeyId: 'alias/keyboard/made' });
  await expect(page.getByTestId('key-detail-metadata').locator('[data-field="KeyId"]')).toHaveText(made.KeyId);
  expect(made.Description).toBe('Typed without a mouse');
  expect(made.KeyState).toBe('Enabled');

  // A row's link in the keys table is reached by Tab and opens the key with Enter.
  await tabTo(page, page.getByTestId('nav-keys'), { back: true });
  await page.keyboard.press('Enter');
  const rowLink = page.getByTestId('key-row').filter({ hasText: existing.KeyId }).getByTestId('key-link');
  await expect(rowLink).toBeVisible();
  await tabTo(page, rowLink, { limit: 60 });
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/keys/${existing.KeyId}`));
  await expect(page.getByTestId('key-detail-metadata').locator('[data-field="KeyId"]')).toHaveText(existing.KeyId);

  // Disabling asks for a confirmation, which the keyboard gives.
  await tabTo(page, page.getByTestId('key-action-disable'), { limit: 60 });
  await page.keyboard.press('Enter');
  const confirmation = page.getByTestId('key-transition-dialog');
  await expect(confirmation).toBeVisible();
  await expectFocusInside(confirmation);
  await tabTo(page, page.getByTestId('key-transition-confirm'));
  await page.keyboard.press('Enter');
  await expect(confirmation).toBeHidden();
  await expect(page.getByTestId('key-detail-state')).toContainText('Disabled');
  expect((await kms.call('DescribeKey', { KeyId: existing.KeyId })).KeyMetadata.KeyState).toBe('Disabled');
});
