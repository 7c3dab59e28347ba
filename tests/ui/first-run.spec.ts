import { expect, screen, test } from './fixtures';
import { PASSWORD } from './steps';

// The first-run screen is what this spec tests: the kit leaves the default key store uninitialized.
test.use({ initialize: false });

test('first run sets the default key store password and opens the console', async ({ page, keyward }) => {
  await page.goto(keyward.url);

  // The session lives in an HttpOnly cookie: the address bar carries no secret.
  await expect(page.getByTestId('setup-password')).toBeVisible();
  expect(page.url().split('#')[0]).toBe(keyward.url);
  await expect(page.getByTestId('setup-policy')).toContainText('8-64 characters');
  await expect(page.getByTestId('setup-password')).toHaveAttribute('type', 'password');
  await expect(page.getByTestId('setup-password')).toHaveAttribute('autocomplete', 'off');

  // Policy and mismatch are explained before anything is sent.
  await page.getByTestId('setup-password').fill('short1');
  await expect(page.getByText('must be 8-64 characters')).toBeVisible();
  await page.getByTestId('setup-password').fill(PASSWORD);
  await page.getByTestId('setup-password-confirm').fill(`${PASSWORD}-typo`);
  await expect(page.getByText('The passwords do not match')).toBeVisible();
  await expect(page.getByTestId('setup-submit')).toBeDisabled();
  await screen(page, '01-setup-mismatch');

  await page.getByTestId('setup-password-confirm').fill(PASSWORD);
  await page.getByTestId('setup-submit').click();

  await expect(page.getByTestId('default-store-state')).toHaveText('CONNECTED');
  await expect(page.getByTestId('keys-empty')).toContainText('No keys yet');
  await screen(page, '02-keys-empty');

  // A reload keeps the session (the cookie) and the store stays unlocked.
  await page.reload();
  await expect(page.getByTestId('default-store-state')).toHaveText('CONNECTED');

  // No cluster yet: the cluster page says where keys live meanwhile and offers the set-up.
  await page.getByTestId('nav-clusters').click();
  await expect(page.getByTestId('clusters-empty')).toContainText('No HSM clusters yet');
  await screen(page, '03-clusters-empty');
});
