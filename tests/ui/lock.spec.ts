import { expect, screen, test } from './fixtures';
import { firstRun, PASSWORD } from './steps';

test('lock, then unlock with a wrong and then the right password', async ({ page, host }) => {
  await firstRun(page, host);

  await page.getByTestId('lock-button').click();
  const password = page.getByTestId('unlock-password');
  await expect(password).toBeVisible();
  await expect(password).toHaveAttribute('type', 'password');

  await password.fill('Wrong12345');
  await page.getByTestId('unlock-submit').click();
  await expect(page.getByTestId('unlock-error')).toHaveText('Incorrect password');
  await expect(password).toHaveValue('');
  await screen(page, '11-unlock-wrong-password');

  await password.fill(PASSWORD);
  await page.getByTestId('unlock-submit').click();
  await expect(page.getByTestId('default-store-state')).toHaveText('CONNECTED');
  await expect(page.getByTestId('keys-table')).toBeVisible();

  // The key stores page shows the same store, connected.
  await page.getByTestId('nav-keystores').click();
  await expect(page.getByTestId('keystores-table')).toContainText('DEFAULT');
  await expect(page.getByTestId('keystores-table')).toContainText('CONNECTED');
  await screen(page, '12-keystores');
});
