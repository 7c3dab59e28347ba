import { expect, type Page } from '@playwright/test';

/** Options of the select menu that is open now (closed menus stay in the DOM, hidden). */
export function visibleOptions(page: Page) {
  return page.locator('.n-base-select-menu:visible .n-base-select-option');
}

/** Picks `label` in the console's select (a Naive UI select) with this test id. */
export async function choose(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).click();
  const option = visibleOptions(page).filter({ hasText: new RegExp(`^${escapeRegExp(label)}$`) });
  // Naive UI renders long menus virtually: an option below the fold exists only once scrolled to.
  await expect(visibleOptions(page).first()).toBeVisible();
  for (let scrolls = 0; scrolls < 10 && (await option.count()) === 0; scrolls += 1) {
    await page.locator('.n-base-select-menu:visible').hover();
    await page.mouse.wheel(0, 200);
  }
  await option.click();
  await expect(page.getByTestId(testId)).toContainText(label);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
