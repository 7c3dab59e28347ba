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

  it('takes each secret field from its own environment variable (--secret-env), never from the command line', async () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'keyward-cli-secret-env-'));
    try {
      const unset = await runKms(['InitializeDefaultKeyStore', '--secret-env', 'KeyStorePassword=KW_TEST_UNSET'], { env: { KMS_DATA_DIR: fresh } });
      expect([unset.code, unset.json.Code]).toEqual([2, 'MissingParameter']);
      const notSecret = await runKms(['DescribeKey', '--KeyId', 'alias/x', '--secret-env', 'KeyId=KW_TEST_PW'], { env: { KMS_DATA_DIR: fresh } });
      expect([notSecret.code, notSecret.json.Code]).toEqual([2, 'InvalidParameter']);
      const initialized = await runKms(['InitializeDefaultKeyStore', '--secret-env', 'KeyStorePassword=KW_TEST_PW'], { env: { KMS_DATA_DIR: fresh, KW_TEST_PW: CANARY_PASSWORD } });
      expect(initialized.code).toBe(0);
      const wrong = await runKms(['ConnectKeyStore', '--KeyStoreId', 'kst-default', '--secret-env', 'KeyStorePassword=KW_TEST_PW'], { env: { KMS_DATA_DIR: fresh, KW_TEST_PW: 'Not-the-password-1' } });
      expect(wrong.json.Code).toBe('HsmError.PinIncorrect');
      const right = await runKms(['ConnectKeyStore', '--KeyStoreId', 'kst-default', '--secret-env', 'KeyStorePassword=KW_TEST_PW'], { env: { KMS_DATA_DIR: fresh, KW_TEST_PW: CANARY_PASSWORD } });
      expect(right.code).toBe(0);
    } finally {
      removeDir(fresh);
    }
  });
});
