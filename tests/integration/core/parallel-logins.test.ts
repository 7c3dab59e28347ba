/**
 * Parallel logins with the right password, each from its own `kms` process (a script fanning out
 * calls): every one gets through. An attempt is charged as failed before the HSM judges it, so
 * without waiting for those verdicts the fourth process met the back-off with no wrong password
 * anywhere. That parallel wrong passwords still reach the HSM at most three times is
 * login-guard.test.ts (injected clock, so the back-off window cannot pass between the attempts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKms } from '../../support/run-cli';
import { CANARY_PASSWORD, removeDir } from '../../support/test-core';

const PROCESSES = 5;

describe('parallel kms logins (real kms processes, SoftHSM2, SQLite)', () => {
  let dataDir = '';
  const kms = (password: string) => runKms(['ListKeys', '--data-dir', dataDir], { env: { KMS_DEFAULT_KEYSTORE_PASSWORD: password } });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'keyward-parallel-logins-'));
    const created = await runKms(['InitializeDefaultKeyStore', '--data-dir', dataDir], { stdin: `${CANARY_PASSWORD}\n` });
    expect(created.code, created.stderr).toBe(0);
  }, 60_000);
  afterAll(() => removeDir(dataDir));

  it(`${PROCESSES} processes started at once with the right password all connect and answer`, async () => {
    const results = await Promise.all(Array.from({ length: PROCESSES }, () => kms(CANARY_PASSWORD)));
    expect(results.map((result) => result.json.Code ?? 'OK')).toEqual(Array.from({ length: PROCESSES }, () => 'OK'));
  }, 120_000);
});
