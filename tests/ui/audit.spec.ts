import { AuditPage, KeyDetailPage, KeysPage } from '../../testing';
import { expect, screen, test } from './fixtures';
import { consoleOpen } from './steps';

test('the audit log lists the operations and its chain verifies', async ({ page }) => {
  await consoleOpen(page);
  const keyId = await new KeysPage(page).createKey({ spec: 'Aliyun_AES_256' });
  const detail = new KeyDetailPage(page);
  await detail.openTab('crypto');
  await detail.encryptPanel.encrypt('audit me');
  await expect(detail.encryptPanel.ciphertext).toBeVisible();

  const audit = new AuditPage(page);
  await audit.open();
  await expect(audit.operation('InitializeDefaultKeyStore')).toHaveCount(1);
  await expect(audit.operation('CreateKey')).toHaveCount(1);
  await expect(audit.rows('CreateKey')).toContainText(keyId);

  // The HSM anchor follows the log about a second after the last change: verify until it has caught up.
  await audit.verifyAnchored();
  const result = audit.verifyResult;
  await expect(result).toHaveAttribute('data-valid', 'true');
  await expect(result).toHaveAttribute('data-anchor-checked', 'true');
  await expect(result).toContainText(/\d+ records, chain intact/);
  await expect(audit.checkpoint).toContainText(/^Sequence \d+\nHash [0-9a-f]{64}$/);
  await screen(page, '10-audit-verified');
});

test('audit filters narrow the log and live in the address', async ({ page }) => {
  await consoleOpen(page);
  const keys = new KeysPage(page);
  const keyId = await keys.createKey({ spec: 'Aliyun_AES_256' });
  await keys.createKey({ spec: 'Aliyun_AES_256' });

  const audit = new AuditPage(page);
  await audit.open();
  await expect(audit.operation('CreateKey')).toHaveCount(2);

  await audit.filterOperation('CreateKey');
  await audit.filterResource(keyId);
  await expect(page).toHaveURL(new RegExp(`operation=CreateKey.*resource=${keyId}`));
  await expect(audit.operations).toHaveCount(1);
  await expect(audit.rows('CreateKey')).toContainText(keyId);
  await screen(page, '11-audit-filtered');

  // A reload (or a shared link) shows the same filtered view, its fields filled in.
  await page.reload();
  await expect(audit.operations).toHaveCount(1);
  await expect(audit.resourceFilter).toHaveValue(keyId);
  await expect(audit.operationFilter).toContainText('CreateKey');

  await audit.filterOutcome('FAILURE');
  await expect(page).toHaveURL(/outcome=FAILURE/);
  await expect(audit.table).toContainText('No audit events match these filters.');

  await audit.clearFilters();
  await expect(page).not.toHaveURL(/operation=|resource=|outcome=/);
  await expect(audit.operation('CreateKey')).toHaveCount(2);
});

test.describe('in a browser east of UTC', () => {
  // The picker must show and read UTC even where the browser's own clock says otherwise.
  test.use({ timezoneId: 'Asia/Kolkata' });

  test('a UTC time range narrows the log, lives in the address and shows in the picker as UTC', async ({ page }) => {
    await consoleOpen(page);
    const utc = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const from = utc(Date.now() - 3_600_000);
    const to = utc(Date.now() + 3_600_000);
    const audit = new AuditPage(page);
    await audit.open();
    await expect(page).toHaveURL(/#\/audit$/);
    const address = page.url();
    // A shared link, opened afresh (the bar takes its fields from the address when the page loads).
    await page.goto(`${address}?from=${from}&to=${to}`);
    await page.reload();

    await expect(audit.operation('InitializeDefaultKeyStore')).toHaveCount(1);
    const ends = audit.timeRange;
    await expect(ends.nth(0)).toHaveValue(from.replace('T', ' ').replace('Z', ''));
    await expect(ends.nth(1)).toHaveValue(to.replace('T', ' ').replace('Z', ''));
    await page.screenshot({ path: '/tmp/kw/shots/p16d-audit-range.png' });

    // A range before any of this log: nothing matches.
    await page.goto(`${address}?from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z`);
    await page.reload();
    await expect(audit.table).toContainText('No audit events match these filters.');
    await expect(ends.nth(0)).toHaveValue('2001-01-01 00:00:00');

    await audit.clearFilters();
    await expect(page).not.toHaveURL(/from=|to=/);
    await expect(audit.operation('InitializeDefaultKeyStore')).toHaveCount(1);
  });
});
