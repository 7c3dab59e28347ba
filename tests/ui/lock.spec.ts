import { KeysPage, KeyStoresPage, UnlockPage } from '../../testing';
import { expect, screen, test } from './fixtures';
import { consoleOpen, PASSWORD } from './steps';

test('lock, then unlock with a wrong and then the right password', async ({ page }) => {
  await consoleOpen(page);

  await page.getByTestId('lock-button').click();
  const gate = new UnlockPage(page);
  await expect(gate.password).toBeVisible();
  await expect(gate.password).toHaveAttribute('type', 'password');

  await gate.submitPassword('Wrong12345');
  await expect(gate.error).toHaveText('Incorrect password');
  await expect(gate.password).toHaveValue('');
  await screen(page, '11-unlock-wrong-password');

  await gate.unlock(PASSWORD);
  await expect(new KeysPage(page).table).toBeVisible();

  // The key stores page shows the same store, connected.
  const keyStores = new KeyStoresPage(page);
  await keyStores.open();
  await expect(keyStores.table).toContainText('DEFAULT');
  await expect(keyStores.table).toContainText('CONNECTED');
  await screen(page, '12-keystores');
});
