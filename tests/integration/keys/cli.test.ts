import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runKms } from '../../support/run-cli';
import { CANARY_PASSWORD, removeDir } from '../../support/test-core';

/** The new key operations reach the `kms` CLI through the contract alone; a few, end to end. */
describe('kms CLI: aliases, lifecycle, MACs (separate processes, real SoftHSM2 + SQLite)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'keyward-cli-keys-'));
  const env = { KMS_DATA_DIR: dataDir, KMS_DEFAULT_KEYSTORE_PASSWORD: CANARY_PASSWORD };
  afterAll(() => removeDir(dataDir));

  it('creates an HMAC key, names it, uses it by alias, and schedules its deletion', async () => {
    const created = await runKms(['CreateKey', '--KeySpec', 'HMAC_SHA256', '--KeyUsage', 'GENERATE/VERIFY_MAC'], { env });
    expect(created.code, created.stderr).toBe(0);
    const keyId = (created.json.KeyMetadata as { KeyId: string }).KeyId;

    const alias = await runKms(['CreateAlias', '--AliasName', 'alias/cli/mac', '--KeyId', keyId], { env });
    expect(alias.code, alias.stderr).toBe(0);
    expect(alias.json.AliasArn).toMatch(/:alias\/cli\/mac$/);

    const message = Buffer.from('cli message').toString('base64');
    const mac = await runKms(['GenerateMac', '--KeyId', 'alias/cli/mac', '--Message', message], { env });
    expect(mac.code, mac.stderr).toBe(0);
    const verified = await runKms(
      ['VerifyMac', '--cli-input-json', JSON.stringify({ KeyId: 'alias/cli/mac', Message: message, Mac: mac.json.Mac })],
      { env },
    );
    expect(verified.json.MacValid).toBe(true);

    const scheduled = await runKms(['ScheduleKeyDeletion', '--KeyId', 'alias/cli/mac', '--PendingWindowInDays', '7'], { env });
    expect(scheduled.code, scheduled.stderr).toBe(0);
    expect(scheduled.json.KeyState).toBe('PendingDeletion');

    const refused = await runKms(['GenerateMac', '--KeyId', keyId, '--Message', message], { env });
    expect(refused.code).toBe(1);
    expect(refused.json.Code).toBe('Forbidden.KeyState');

    const listed = await runKms(['ListKeys', '--cli-input-json', JSON.stringify({ Filters: [{ Key: 'KeyState', Values: ['PendingDeletion'] }] })], { env });
    expect((listed.json.Keys as { KeyId: string; Aliases: string[] }[]).map((key) => [key.KeyId, key.Aliases])).toEqual([[keyId, ['alias/cli/mac']]]);
  });
});
