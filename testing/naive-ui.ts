import { expect, type Page } from '@playwright/test';

/**
 * The select menu that is open now. Closed menus stay in the DOM, hidden; a menu that is closing
 * stays visible for its leave transition, beside the next one opening.
 */
const OPEN_MENU = '.n-base-select-menu:not([class*="-transition-leave"]):visible';

/** Options of the select menu that is open now. */
export function visibleOptions(page: Page) {
  return page.locator(`${OPEN_MENU} .n-base-select-option`);
}

/**
 * Picks an option in the console's select (a Naive UI select) with this test id: the option whose
 * whole label is `label`, or the first one a pattern matches (labels with a run-time suffix).
 */
export async function choose(page: Page, testId: string, label: string | RegExp): Promise<void> {
  await openMenu(page, testId);
  const pattern = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}$`) : label;
  const option = visibleOptions(page).filter({ hasText: pattern }).first();
  // Naive UI renders long menus virtually: an option below the fold exists only once scrolled to.
  for (let scrolls = 0; scrolls < 10 && (await option.count()) === 0; scrolls += 1) {
    await page.locator(OPEN_MENU).hover();
    await page.mouse.wheel(0, 200);
  }
  await option.click();
  await expect(page.getByTestId(testId)).toContainText(typeof label === 'string' ? label : stripAnchors(label));
}

/**
 * Opens the menu of the select with this test id (a click on it also closes another select's open
 * menu). A click that lands while its dialog is still opening (seen once in CI on a loaded machine)
 * can leave no menu open: after 3 s without one, the select is clicked again.
 */
async function openMenu(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).click();
  for (let attempt = 1; ; attempt += 1) {
    try {
      await expect(visibleOptions(page).first()).toBeVisible({ timeout: 3_000 });
      return;
    } catch (error) {
      if (attempt === 5) throw error;
    }
    if ((await page.locator(OPEN_MENU).count()) === 0) await page.getByTestId(testId).click();
  }
}

/** Picks several options of a multiple select one after the other, then closes its menu. */
export async function chooseMany(page: Page, testId: string, labels: readonly (string | RegExp)[]): Promise<void> {
  for (const label of labels) {
    await choose(page, testId, label);
    await page.keyboard.press('Escape');
    await expect(page.locator('.n-base-select-menu:visible')).toHaveCount(0);
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The shown value is the option's label inside the select: a `^…$` pattern must not anchor there. */
function stripAnchors(pattern: RegExp): RegExp {
  return new RegExp(pattern.source.replace(/^\^/, '').replace(/\$$/, ''), pattern.flags);
}
