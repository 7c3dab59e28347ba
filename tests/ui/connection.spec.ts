import { expect, screen, test } from './fixtures';
import { consoleOpen } from './steps';

test.use({ allowedConsoleErrors: [/WebSocket connection to .* failed/] });

test('when the host goes away the console says so and calls fail with a clear error', async ({ page, keyward }) => {
  await consoleOpen(page);
  await keyward.stop();

  await expect(page.getByTestId('connection-banner')).toContainText('reconnecting');
  // No secret appears in the address bar, even while reconnecting.
  expect(page.url()).not.toContain('nonce=');

  await page.getByTestId('lock-button').click();
  const notification = page.getByTestId('error-notification').first();
  await expect(notification).toHaveAttribute('data-code', 'Client.NotConnected', { timeout: 30_000 });
  await expect(notification).toContainText('Cannot reach the Keyward host');
  await screen(page, '13-host-gone');
});
