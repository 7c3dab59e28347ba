import type { Page } from '@playwright/test';
import { SOFTHSM_MODULE } from '../lab-hsms';
import { choose, visibleOptions } from '../naive-ui';

/**
 * Adds the first blank token of a registered module as a cluster member in a zone: the form of the
 * wizard's HSM step and of an active cluster's "Add HSM". The module select lists `name — path`.
 */
export async function addHsm(page: Page, moduleName: string, zone: string, modulePath: string = SOFTHSM_MODULE): Promise<void> {
  await choose(page, 'hsm-module', `${moduleName} — ${modulePath}`);
  await page.getByTestId('hsm-token').click();
  await visibleOptions(page).filter({ hasText: /blank token/ }).first().click();
  await page.getByTestId('hsm-zone').fill(zone);
  await page.getByTestId('hsm-add').click();
}
