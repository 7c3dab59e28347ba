/**
 * A destroyed secret leaves nothing behind in the registry file: its sealed value and wrapped data
 * key are overwritten (SQLite secure_delete), not kept in free pages where a copy of the file plus
 * the still-living CMK would open them again.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY_PASSWORD, createTestCore, removeDir, type TestCore } from '../../support/test-core';

interface StoredBlobs {
  wrappedKey: Buffer;
  sealedValue: Buffer;
}

describe('destroyed secrets are gone from the registry file (real SoftHSM2 + SQLite)', () => {
  let t: TestCore;
  let dataDir = '';

  beforeAll(async () => {
    t = await createTestCore();
    dataDir = t.dataDir;
    await t.call('InitializeDefaultKeyStore', { KeyStorePassword: CANARY_PASSWORD });
  });
  afterAll(async () => {
    await t.close();
    removeDir(dataDir);
  });

  it('ForceDeleteWithoutRecovery overwrites the sealed value and the wrapped data key in the database file', async () => {
    // Large enough to own whole pages, so a lingering copy would be found intact.
    await t.call('CreateSecret', { SecretName: 'gone/soon', SecretData: 'x'.repeat(6000), VersionId: 'v1' });
    await t.call('PutSecretValue', { SecretName: 'gone/soon', SecretData: 'y'.repeat(6000), VersionId: 'v2' });
    const file = path.join(dataDir, 'registry.sqlite');
    const reader = new Database(file, { readonly: true });
    const stored = reader
      .prepare<[], StoredBlobs>(
        `SELECT v.wrapped_key AS wrappedKey, v.sealed_value AS sealedValue
           FROM secret_versions v JOIN secrets s ON s.id = v.secret_id WHERE s.name = 'gone/soon'`,
      )
      .all();
    reader.close();
    expect(stored).toHaveLength(2);

    await t.call('DeleteSecret', { SecretName: 'gone/soon', ForceDeleteWithoutRecovery: true });
    // Closing checkpoints the WAL into the main file and removes it: the file is all that is left.
    await t.close();

    const bytes = readFileSync(file);
    for (const { wrappedKey, sealedValue } of stored) {
      expect(bytes.includes(sealedValue.subarray(0, 64))).toBe(false);
      expect(bytes.includes(wrappedKey)).toBe(false);
    }
  });
});
