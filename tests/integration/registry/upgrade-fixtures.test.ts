/**
 * Upgrades: a data directory made by each released schema (tests/fixtures/data-dirs) opens with
 * this build, migrates forward on first start, and keeps every key, every old ciphertext and
 * signature usable and every audit record unchanged. Real SoftHSM2 token files, real SQLite.
 */
import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../electron/main/registry/migrations';
import { createTestCore, removeDir, type TestCore } from '../../support/test-core';
import { dataDirFixtures, FIXTURE_PASSWORD } from './support/fixture-data-dirs';

const fixtures = dataDirFixtures();
const utf8 = (base64: string): string => Buffer.from(base64, 'base64').toString('utf8');

function schemaVersion(dataDir: string): number {
  const db = new Database(path.join(dataDir, 'registry.sqlite'), { readonly: true });
  try {
    return db.prepare<[], { version: number }>('SELECT max(version) AS version FROM schema_migrations').get()?.version ?? 0;
  } finally {
    db.close();
  }
}

it('has a fixture for every released schema before this build', () => {
  const covered = fixtures.map((fixture) => fixture.expected.schemaVersion);
  // Schema 3 is the first release with fixtures; each later release adds its own (README there).
  expect(covered).toContain(3);
  for (const version of covered) expect(version).toBeLessThanOrEqual(MIGRATIONS.length);
});

describe.each(fixtures)('a data directory made by $name', ({ expected, copy }) => {
  let dataDir = '';
  let t: TestCore;
  const notices: string[] = [];

  beforeAll(async () => {
    dataDir = copy();
    expect(schemaVersion(dataDir)).toBe(expected.schemaVersion);
    t = await createTestCore(dataDir, { onNotice: (notice) => notices.push(notice) });
  });
  afterAll(async () => {
    await t.close();
    removeDir(dataDir);
  });

  it('migrates forward to this build on first start', async () => {
    await t.close();
    expect(schemaVersion(dataDir)).toBe(MIGRATIONS.length);
    t = await createTestCore(dataDir);
  });

  it('connects the default key store with the password it was made with', async () => {
    const connected = await t.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: FIXTURE_PASSWORD });
    expect(connected.ConnectionState).toBe('CONNECTED');
  });

  it('points the default key store at this data directory, wherever the fixture was made', async () => {
    const conf = readFileSync(path.join(dataDir, 'softhsm', 'softhsm2.conf'), 'utf8');
    expect(conf).toContain(`directories.tokendir = ${path.join(dataDir, 'softhsm', 'tokens')}\n`);
    const { Modules } = await t.call('ListModules', {});
    const builtin = Modules.find((module) => module.Builtin);
    expect(builtin?.Environment).toEqual({ SOFTHSM2_CONF: path.join(dataDir, 'softhsm', 'softhsm2.conf') });
    expect(notices.join('\n')).toContain('was moved or copied');
  });

  it('finds every key with its aliases, state, versions and tags', async () => {
    for (const key of expected.keys) {
      const { KeyMetadata } = await t.call('DescribeKey', { KeyId: key.alias });
      expect(KeyMetadata).toMatchObject({ KeyId: key.keyId, KeySpec: key.keySpec, KeyState: key.keyState });
      const versions = await t.call('ListKeyVersions', { KeyId: key.keyId });
      expect(versions.TotalCount).toBe(key.versions);
      const { Tags } = await t.call('ListResourceTags', { KeyId: key.keyId });
      expect(Object.fromEntries(Tags.map((tag) => [tag.TagKey, tag.TagValue]))).toEqual(key.tags);
    }
  });

  it('decrypts what the old release encrypted, under each key version', async () => {
    for (const sealed of expected.ciphertexts) {
      const opened = await t.call('Decrypt', { CiphertextBlob: sealed.ciphertextBlob, EncryptionContext: sealed.encryptionContext });
      expect({ text: utf8(opened.Plaintext), version: opened.KeyVersionId }).toEqual({ text: sealed.plaintext, version: sealed.keyVersionId });
    }
  });

  it('verifies the old signature and MAC, and the public key is unchanged', async () => {
    const { signature, mac } = expected;
    const verified = await t.call('AsymmetricVerify', { KeyId: signature.keyId, Algorithm: 'ECDSA_SHA_256', Digest: signature.digest, Value: signature.value });
    expect(verified.Value).toBe(true);
    const { PublicKey } = await t.call('GetPublicKey', { KeyId: signature.keyId });
    expect(PublicKey).toBe(signature.publicKeyPem);
    const macCheck = await t.call('VerifyMac', { KeyId: mac.keyId, Message: mac.message, Mac: mac.mac });
    expect(macCheck.MacValid).toBe(true);
    // Checked outside Keyward as well: a real ECDSA signature over SHA-256('release 1.0').
    expect(createHash('sha256').update('release 1.0').digest('base64')).toBe(signature.digest);
    expect(verifySignature('sha256', Buffer.from('release 1.0'), createPublicKey(PublicKey), Buffer.from(signature.value, 'base64'))).toBe(true);
  });

  it('keeps every old audit record and a valid chain, and keeps working', async () => {
    const { Events } = await t.call('ListAuditEvents', { PageNumber: 1, PageSize: 100, Filters: [] });
    const bySequence = new Map(Events.map((event) => [event.Sequence, event.Hash]));
    expected.auditHashes.forEach((hash, index) => expect(bySequence.get(index + 1)).toBe(hash));

    const created = await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyUsage: 'ENCRYPT/DECRYPT', Description: 'after the upgrade' });
    const sealed = await t.call('Encrypt', { KeyId: created.KeyMetadata.KeyId, Plaintext: Buffer.from('new').toString('base64') });
    const opened = await t.call('Decrypt', { CiphertextBlob: sealed.CiphertextBlob });
    expect(utf8(opened.Plaintext)).toBe('new');

    const verdict = await t.call('VerifyAuditLog', {});
    expect(verdict).toMatchObject({ Valid: true, FirstBrokenSequence: null });
    expect(verdict.CheckedRecords).toBeGreaterThan(expected.auditHashes.length);
  });
});
