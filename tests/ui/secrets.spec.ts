import { expect, screen, test } from './fixtures';
import { createTextSecret, fillSecretMetadata, openSecrets, stagesOf, submitSecret, versionRow } from './secret-steps';
import { choose, consoleOpen, createKey } from './steps';

/** "2026-12-08 10:00:00 UTC" → epoch ms. */
function utcMs(text: string): number {
  return Date.parse(`${text.trim().replace(' UTC', 'Z').replace(' ', 'T')}`);
}

test('creates text, key/value, generated and binary secrets, then lists and filters them', async ({ page }) => {
  await consoleOpen(page);
  await openSecrets(page);
  await expect(page.getByTestId('secrets-empty')).toContainText('No secrets yet');
  await expect(page.getByTestId('secrets-count')).toContainText('0 secrets');
  await screen(page, '80-secrets-empty');

  // Text, under the default secrets key (made on first use), with a tag.
  await page.getByTestId('secrets-empty-create').click();
  await expect(page.getByTestId('create-secret-cmk')).toContainText('Keyward default secrets key (created on first use)');
  await expect(page.getByTestId('create-secret-version')).toHaveValue('v1');
  await page.getByTestId('create-secret-name').fill('has space');
  await expect(page.getByTestId('create-secret-dialog')).toContainText('The name must be 1-192 characters');
  await page.getByTestId('create-secret-name').fill('prod/db/root-password');
  await page.getByTestId('create-secret-description').fill('Root of the payments database');
  await page.getByTestId('create-secret-text').fill('Pg-root-0001');
  await expect(page.getByTestId('create-secret-text')).toHaveAttribute('autocomplete', 'off');
  await expect(page.getByTestId('create-secret-text')).toHaveAttribute('spellcheck', 'false');
  await page.getByTestId('create-secret-tag-key-0').fill('team');
  await page.getByTestId('create-secret-tag-value-0').fill('ops');
  await expect(page.getByTestId('create-secret-size')).toContainText('12 bytes of 30,720');
  await screen(page, '81-create-secret-dialog');
  await submitSecret(page, 'prod/db/root-password');
  await expect(page).toHaveURL(/#\/secrets\/prod%2Fdb%2Froot-password/);
  await expect(page.getByTestId('secret-value-masked')).toBeVisible();

  // Key/value pairs become one JSON object.
  await fillSecretMetadata(page, 'api/payments', { description: 'Payments API credential' });
  await page.getByTestId('create-secret-mode-json').click();
  await page.getByTestId('create-secret-kv-key-0').fill('username');
  await page.getByTestId('create-secret-kv-value-0').fill('svc-payments');
  await page.getByTestId('create-secret-kv-add').click();
  await page.getByTestId('create-secret-kv-key-1').fill('username');
  await expect(page.getByTestId('create-secret-problem')).toHaveText('The key "username" appears twice.');
  await expect(page.getByTestId('create-secret-submit')).toBeDisabled();
  await page.getByTestId('create-secret-kv-key-1').fill('password');
  await page.getByTestId('create-secret-kv-value-1').fill('Kv-pass-0002');
  await screen(page, '82-create-secret-json');
  await submitSecret(page, 'api/payments');
  await page.getByTestId('secret-reveal').click();
  await expect(page.getByTestId('secret-value-text')).toHaveText('{"username":"svc-payments","password":"Kv-pass-0002"}');
  await expect(page.getByTestId('secret-value-panel')).toContainText('JSON object');

  // A password from the HSM's generator, without punctuation.
  await fillSecretMetadata(page, 'breakglass/root');
  await page.getByTestId('create-secret-length').fill('40');
  await page.getByTestId('create-secret-options').click();
  await page.getByTestId('create-secret-no-punctuation').click();
  await page.getByTestId('create-secret-options').click();
  await expect(page.getByTestId('create-secret-options-panel')).toBeHidden();
  await page.getByTestId('create-secret-generate').click();
  await expect(page.getByTestId('create-secret-text')).toHaveValue(/^[A-Za-z0-9]{40}$/);
  const generated = await page.getByTestId('create-secret-text').inputValue();
  await submitSecret(page, 'breakglass/root');
  await page.getByTestId('secret-reveal').click();
  await expect(page.getByTestId('secret-value-text')).toHaveText(generated);

  // A binary file, read in the console (no path reaches the host).
  await fillSecretMetadata(page, 'ssh/deploy-key');
  await page.getByTestId('create-secret-mode-binary').click();
  await page.getByTestId('create-secret-file').setInputFiles({ name: 'id_deploy', mimeType: 'application/octet-stream', buffer: Buffer.from([0, 1, 2, 250, 255]) });
  await expect(page.getByTestId('create-secret-file-name')).toHaveText('id_deploy');
  await expect(page.getByTestId('create-secret-size')).toContainText('5 bytes');
  await submitSecret(page, 'ssh/deploy-key');
  await page.getByTestId('secret-reveal').click();
  await expect(page.getByTestId('secret-value-binary')).toContainText('Binary value, 5 bytes');
  const download = page.waitForEvent('download');
  await page.getByTestId('secret-value-download').click();
  expect((await download).suggestedFilename()).toBe('ssh_deploy-key-v1.bin');

  await openSecrets(page);
  const table = page.getByTestId('secrets-table');
  await expect(page.getByTestId('secrets-count')).toContainText('4 secrets');
  const root = table.locator('[data-secret-name="prod/db/root-password"]');
  await expect(root).toContainText('Root of the payments database');
  await expect(root.getByTestId('secret-row-version')).toHaveText('v1');
  await expect(root.getByTestId('secret-row-cmk')).toContainText('alias/keyward/secrets-default');
  await expect(root.getByTestId('secret-row-state')).toContainText('Enabled');
  await screen(page, '83-secrets-list');

  await page.getByTestId('secrets-filter-name').fill('api/');
  await expect(table.getByTestId('secret-row')).toHaveCount(1);
  await expect(table.getByTestId('secret-row')).toHaveAttribute('data-secret-name', 'api/payments');
  await page.getByTestId('secrets-filter-name').fill('');
  await page.getByTestId('secrets-filter-tag').fill('team=ops');
  await expect(table.getByTestId('secret-row')).toHaveCount(1);
  await expect(table.getByTestId('secret-row')).toHaveAttribute('data-secret-name', 'prod/db/root-password');
  await page.getByTestId('secrets-filter-tag').fill('team=nobody');
  await expect(page.getByTestId('secrets-empty')).toHaveText('No secret matches these filters.');
});

test('reveals, rotates, moves stages, edits, deletes with a recovery window and restores a secret', async ({ page }) => {
  test.setTimeout(180_000);
  // Fake timers that still run on their own: the 30 s auto-hide is reached by fast-forwarding.
  await page.clock.install();
  await consoleOpen(page);
  const name = 'ops/vault-unseal';
  await createTextSecret(page, name, 'Unseal-first-0001', { description: 'Unseal share' });
  await screen(page, '84-secret-masked');
  await expect(page.getByTestId('secret-value-panel')).not.toContainText('Unseal-first-0001');

  await page.getByTestId('secret-reveal').click();
  await expect(page.getByTestId('secret-value-text')).toHaveText('Unseal-first-0001');
  await expect(page.getByTestId('secret-value-countdown')).toContainText(/hides in \d+ s/);
  await screen(page, '85-secret-revealed');
  await page.clock.fastForward('00:31');
  await expect(page.getByTestId('secret-value-masked')).toBeVisible();
  await expect(page.getByTestId('secret-value-text')).toHaveCount(0);

  // Leaving the page forgets the value too.
  await page.getByTestId('secret-reveal').click();
  await expect(page.getByTestId('secret-value-text')).toHaveText('Unseal-first-0001');
  await openSecrets(page);
  await page.getByTestId('secret-link').filter({ hasText: name }).click();
  await expect(page.getByTestId('secret-value-masked')).toBeVisible();
  await expect(page.locator('body')).not.toContainText('Unseal-first-0001');

  // Rotate: ACSCurrent moves to v2, ACSPrevious to v1.
  await page.getByTestId('secret-put-value').click();
  await expect(page.getByTestId('secret-put-version')).toHaveValue('v2');
  await expect(page.getByTestId('secret-put-expected')).toContainText('v1');
  await page.getByTestId('secret-put-text').fill('Unseal-second-0002');
  await screen(page, '86-secret-put-value');
  await page.getByTestId('secret-put-submit').click();
  await expect(page.getByTestId('secret-put-dialog')).toBeHidden();
  await expect.poll(() => stagesOf(page, 'v2')).toEqual(['ACSCurrent']);
  await expect.poll(() => stagesOf(page, 'v1')).toEqual(['ACSPrevious']);
  await page.getByTestId('secret-reveal').click();
  await expect(page.getByTestId('secret-value-text')).toHaveText('Unseal-second-0002');
  await page.getByTestId('secret-hide').click();
  await choose(page, 'secret-value-version', 'v1 · ACSPrevious');
  await page.getByTestId('secret-reveal').click();
  await expect(page.getByTestId('secret-value-text')).toHaveText('Unseal-first-0001');
  await page.getByTestId('secret-hide').click();

  // A custom stage is attached, moved, and detached.
  await page.getByTestId('secret-stage-name').fill('Testing');
  await choose(page, 'secret-stage-target', 'v1');
  await page.getByTestId('secret-stage-move').click();
  await expect.poll(() => stagesOf(page, 'v1')).toEqual(['ACSPrevious', 'Testing']);
  await page.getByTestId('secret-stage-name').fill('Testing');
  await choose(page, 'secret-stage-target', 'v2');
  await page.getByTestId('secret-stage-move').click();
  await expect.poll(() => stagesOf(page, 'v2')).toEqual(['ACSCurrent', 'Testing']);
  await expect.poll(() => stagesOf(page, 'v1')).toEqual(['ACSPrevious']);
  await screen(page, '87-secret-versions');
  await versionRow(page, 'v2').locator('[data-stage="Testing"] .n-base-close').click();
  await expect.poll(() => stagesOf(page, 'v2')).toEqual(['ACSCurrent']);
  // ACSCurrent moved back: ACSPrevious follows to the version it left.
  await page.getByTestId('secret-stage-name').fill('ACSCurrent');
  await choose(page, 'secret-stage-target', 'v1');
  await page.getByTestId('secret-stage-move').click();
  await expect.poll(() => stagesOf(page, 'v1')).toEqual(['ACSCurrent']);
  await expect.poll(() => stagesOf(page, 'v2')).toEqual(['ACSPrevious']);
  await expect(versionRow(page, 'v1').locator('[data-stage="ACSCurrent"] .n-base-close')).toHaveCount(0);

  // Description.
  await page.getByTestId('secret-tab-metadata').click();
  await page.getByTestId('secret-description-edit').click();
  await page.getByTestId('secret-description-input').fill('Unseal share of officer A');
  await page.getByTestId('secret-description-save').click();
  await expect(page.getByTestId('secret-detail-description')).toHaveText('· Unseal share of officer A');
  await expect(page.getByTestId('secret-detail-metadata').locator('[data-field="CurrentVersionId"]')).toHaveText('v1');
  await screen(page, '88-secret-metadata');

  // Delete with a 7-day recovery window, then restore.
  await page.getByTestId('secret-delete').click();
  await page.getByTestId('secret-delete-days').fill('7');
  await page.getByTestId('secret-delete-days').blur();
  const offered = utcMs((await page.getByTestId('secret-delete-date').textContent()) ?? '');
  expect(Math.abs(offered - (Date.now() + 7 * 86_400_000))).toBeLessThan(5 * 60_000);
  await screen(page, '89-secret-delete-dialog');
  await page.getByTestId('secret-delete-confirm').click();
  await expect(page.getByTestId('secret-detail-state')).toHaveText('PendingDeletion');
  const planned = utcMs((await page.getByTestId('secret-planned-deletion').textContent()) ?? '');
  expect(Math.abs(planned - (Date.now() + 7 * 86_400_000))).toBeLessThan(5 * 60_000);
  await expect(page.getByTestId('secret-reveal')).toBeDisabled();
  await page.getByTestId('secret-tab-versions').click();
  await expect(page.getByTestId('secret-put-value')).toBeDisabled();
  await screen(page, '90-secret-pending-deletion');

  await openSecrets(page);
  const row = page.getByTestId('secrets-table').locator(`[data-secret-name="${name}"]`);
  await expect(row.getByTestId('secret-row-state')).toContainText('PendingDeletion');
  await expect(row.getByTestId('secret-row-state')).toContainText(`until ${new Date(planned).toISOString().slice(0, 10)}`);
  await choose(page, 'secrets-filter-state', 'PendingDeletion');
  await expect(page.getByTestId('secret-row')).toHaveCount(1);
  await screen(page, '91-secrets-list-pending');

  await row.getByTestId('secret-link').click();
  await page.getByTestId('secret-restore').click();
  await expect(page.getByTestId('secret-detail-state')).toHaveText('Enabled');
  await page.getByTestId('secret-reveal').click();
  await expect(page.getByTestId('secret-value-text')).toHaveText('Unseal-first-0001');
});

test('force-deletes a secret only once its name is typed', async ({ page }) => {
  await consoleOpen(page);
  const name = 'tmp/scratch@lab';
  await createTextSecret(page, name, 'Scratch-0003');
  await page.getByTestId('secret-delete').click();
  await page.getByTestId('secret-delete-force').click();
  await expect(page.getByTestId('secret-delete-consequence')).toContainText('Nothing can restore it');
  await expect(page.getByTestId('secret-delete-confirm')).toBeDisabled();
  await page.getByTestId('secret-delete-confirm-name').fill('tmp/scratch');
  await expect(page.getByTestId('secret-delete-confirm')).toBeDisabled();
  await page.getByTestId('secret-delete-confirm-name').fill(name);
  await screen(page, '92-secret-force-delete-dialog');
  await page.getByTestId('secret-delete-confirm').click();
  await expect(page).toHaveURL(/#\/secrets$/);
  await expect(page.getByTestId('secrets-empty')).toContainText('No secrets yet');
});

test('stores a secret under a chosen CMK and moves it to another one', async ({ page }) => {
  test.setTimeout(180_000);
  await consoleOpen(page);
  const first = await createKey(page, 'Aliyun_AES_256', undefined, { alias: 'secrets/first' });
  const second = await createKey(page, 'Aliyun_AES_256', undefined, { alias: 'secrets/second' });
  // Keys that cannot wrap data keys are not offered.
  await createKey(page, 'HMAC_SHA256', 'GENERATE/VERIFY_MAC', { alias: 'not-for-secrets' });

  await fillSecretMetadata(page, 'ci/deploy-token', { cmk: 'alias/secrets/first' });
  await page.getByTestId('create-secret-cmk').click();
  await expect(page.locator('.n-base-select-menu:visible')).not.toContainText('alias/not-for-secrets');
  await page.keyboard.press('Escape');
  await page.getByTestId('create-secret-text').fill('Deploy-token-0004');
  await submitSecret(page, 'ci/deploy-token');

  await page.getByTestId('secret-tab-metadata').click();
  const metadata = page.getByTestId('secret-detail-metadata');
  await expect(metadata.locator('[data-field="EncryptionKeyId"]')).toHaveText(first);
  await expect(metadata.locator('[data-field="CmkAlias"]')).toHaveText('alias/secrets/first');
  await page.getByTestId('secret-change-cmk').click();
  await expect(page.getByTestId('secret-cmk-dialog')).toContainText('not re-encrypted');
  await page.getByTestId('secret-cmk-picker').click();
  await page.locator('.n-base-select-menu:visible .n-base-select-option').filter({ hasText: 'alias/secrets/second' }).click();
  await screen(page, '93-secret-change-cmk');
  await page.getByTestId('secret-cmk-submit').click();
  await expect(metadata.locator('[data-field="EncryptionKeyId"]')).toHaveText(second);
  await page.getByTestId('secret-reveal').click();
  await expect(page.getByTestId('secret-value-text')).toHaveText('Deploy-token-0004');
});
