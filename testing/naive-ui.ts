import { expect, type Page } from '@playwright/test';

/** Options of the select menu that is open now (closed menus stay in the DOM, hidden). */
export function visibleOptions(page: Page) {
  return page.locator('.n-base-select-menu:visible .n-base-select-option');
}

/**
 * Picks an option in the console's select (a Naive UI select) with this test id: the option whose
 * whole label is `label`, or the first one a pattern matches (labels with a run-time suffix).
 */
export async function choose(page: Page, testId: string, label: string | RegExp): Promise<void> {
  await page.getByTestId(testId).click();
  const pattern = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}$`) : label;
  const option = visibleOptions(page).filter({ hasText: pattern }).first();
  // Naive UI renders long menus virtually: an option below the fold exists only once scrolled to.
  await expect(visibleOptions(page).first()).toBeVisible();
  for (let scrolls = 0; scrolls < 10 && (await option.count()) === 0; scrolls += 1) {
    await page.locator('.n-base-select-menu:visible').hover();
    await page.mouse.wheel(0, 200);
  }
  await option.click();
  await expect(page.getByTestId(testId)).toContainText(typeof label === 'string' ? label : stripAnchors(label));
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The shown value is the option's label inside the select: a `^…$` pattern must not anchor there. */
function stripAnchors(pattern: RegExp): RegExp {
  return new RegExp(pattern.source.replace(/^\^/, '').replace(/\$$/, ''), pattern.flags);
}
