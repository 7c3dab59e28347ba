import { expect, type Locator } from '@playwright/test';

/**
 * Waits for what an action leads to: `outcome` visible, or (`hidden`) the action's dialog closed.
 * When that does not happen, Keyward most likely refused: the error names the action and the refusal
 * shown last (code and message) rather than a bare timeout. Earlier notifications may still be on
 * screen, so a visible one alone proves nothing: only the missing outcome counts.
 */
export async function expectOutcome(
  outcome: Locator,
  errorNotifications: Locator,
  action: string,
  options: { hidden?: boolean; timeout?: number } = {},
): Promise<void> {
  const timeout = options.timeout ?? 20_000;
  try {
    if (options.hidden) await expect(outcome).toBeHidden({ timeout });
    else await expect(outcome).toBeVisible({ timeout });
  } catch (error) {
    const last = errorNotifications.last();
    const refusal = (await last.isVisible()) ? `${(await last.getAttribute('data-code')) ?? ''} ${(await last.textContent()) ?? ''}`.trim() : 'no error shown';
    throw new Error(`${action} did not complete: ${refusal}`, { cause: error });
  }
}
