import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';

/** A screenshot for a person to look at, in $KEYWARD_EXAMPLE_SHOTS (default test-results/shots). */
export async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.KEYWARD_EXAMPLE_SHOTS ?? path.join('test-results', 'shots');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `example-${name}.png`) });
}
