/**
 * Seed 003 as written: `kms CreateKey --ProtectionLevel HSM --Description "Key1 in Managed HSM"`
 * without a KeyStoreId picks the HSM-protected key store (the connected one, or the one an officer
 * marked as the default for HSM keys), and DescribeKey shows it with the seed's date form. A
 * single-HSM lab cluster on SoftHSM2, a real SQLite registry, and the real `kms` process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bringUpKeyStore, createClusterWithMembers, KMSUSER_PASSWORD, softHsmMember } from '../../support/cluster-flow';
import { runKms } from '../../support/run-cli';
import { SEED_DATE_PATTERN } from '../../support/seed-date';
import { createSoftHsmFixture, type SoftHsmFixture } from '../../support/softhsm';
import { createInitializedTestCore, createTestCore, removeDir, type TestCore } from '../../support/test-core';

describe('CreateKey ProtectionLevel HSM without KeyStoreId (lab cluster, real SoftHSM2)', () => {
  let t: TestCore;
  let fixture: SoftHsmFixture;
  let keyStoreId = '';

  beforeAll(async () => {
    fixture = await createSoftHsmFixture();
    t = await createInitializedTestCore();
  });
  afterAll(async () => {
    await t.close();
    await fixture.cleanup();
    removeDir(t.dataDir);
  });

  it('says there is no HSM-protected store to choose while none exists', async () => {
    const refused = await t.fail('CreateKey', { ProtectionLevel: 'HSM', Description: 'Key1 in Managed HSM' });
    expect(refused.Code).toBe('InvalidParameter');
    expect(refused.Message).toMatch(/no HSM-protected key store/);
  });

  it('picks the one connected HSM cluster key store', async () => {
    const setUp = await createClusterWithMembers(t, 'seed-003', [softHsmMember(fixture, 'lab')], true);
    ({ keyStoreId } = await bringUpKeyStore(t, setUp, 'managed-hsm'));
    const { KeyMetadata } = await t.call('CreateKey', { ProtectionLevel: 'HSM', Description: 'Key1 in Managed HSM' });
    expect(KeyMetadata).toMatchObject({ ProtectionLevel: 'HSM', KeyStoreId: keyStoreId, KeyState: 'Enabled', Description: 'Key1 in Managed HSM' });
    // Without ProtectionLevel (or with SOFTWARE) keys still go to the default key store.
    expect((await t.call('CreateKey', {})).KeyMetadata).toMatchObject({ ProtectionLevel: 'SOFTWARE', KeyStoreId: 'kst-default' });
    expect((await t.fail('CreateKey', { ProtectionLevel: 'HSM', KeyStoreId: 'kst-default' })).Code).toBe('InvalidParameter');
  });

  it('names the choices when no HSM store is connected and none is marked', async () => {
    await t.call('DisconnectKeyStore', { KeyStoreId: keyStoreId });
    const refused = await t.fail('CreateKey', { ProtectionLevel: 'HSM' });
    expect(refused.Code).toBe('InvalidParameter');
    expect(refused.Message).toContain(keyStoreId);
    expect(refused.Message).toContain('DefaultForHsmKeys');
  });

  it('uses the store marked as the default for HSM keys; only an HSM store can carry the mark', async () => {
    expect((await t.fail('UpdateKeyStore', { KeyStoreId: 'kst-default', DefaultForHsmKeys: true })).Code).toBe('UnsupportedOperation');
    expect((await t.fail('UpdateKeyStore', { KeyStoreId: keyStoreId })).Code).toBe('MissingParameter');
    await t.call('UpdateKeyStore', { KeyStoreId: keyStoreId, DefaultForHsmKeys: true });
    const marks = (await t.call('DescribeKeyStores', {})).KeyStores.map((store) => [store.KeyStoreId, store.DefaultForHsmKeys]);
    expect(marks).toEqual(expect.arrayContaining([['kst-default', false], [keyStoreId, true]]));

    // Disconnected, the marked store is still the choice: material-less keys can be made there.
    const { KeyMetadata } = await t.call('CreateKey', { ProtectionLevel: 'HSM', Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true });
    expect(KeyMetadata).toMatchObject({ KeyStoreId: keyStoreId, ProtectionLevel: 'HSM', KeyState: 'PendingImport' });
    expect((await t.fail('CreateKey', { ProtectionLevel: 'HSM' })).Code).toBe('Forbidden.KeyStoreState');

    const audit = await t.call('ListAuditEvents', { Filters: [{ Key: 'Operation', Values: ['UpdateKeyStore'] }] });
    expect(audit.Events[0]?.Details).toMatchObject({ DefaultForHsmKeys: true });
    await t.call('UpdateKeyStore', { KeyStoreId: keyStoreId, DefaultForHsmKeys: false });
    expect((await t.call('DescribeKeyStores', { KeyStoreId: keyStoreId })).KeyStores[0]?.DefaultForHsmKeys).toBe(false);
  });

  it('runs seed 003\'s commands as written through the kms CLI', async () => {
    await t.close();
    const env = { KMS_DATA_DIR: t.dataDir, KMS_CLUSTER_KEYSTORE_PASSWORD: KMSUSER_PASSWORD };
    const created = await runKms(['CreateKey', '--ProtectionLevel', 'HSM', '--Description', 'Key1 in Managed HSM'], { env });
    expect(created.code, created.stderr).toBe(0);
    const keyId = (created.json.KeyMetadata as { KeyId: string }).KeyId;

    const described = await runKms(['DescribeKey', '--KeyId', keyId], { env });
    expect(described.code, described.stderr).toBe(0);
    const metadata = described.json.KeyMetadata as Record<string, string>;
    expect(metadata).toMatchObject({ Description: 'Key1 in Managed HSM', KeyId: keyId, KeyState: 'Enabled', KeyUsage: 'ENCRYPT/DECRYPT', ProtectionLevel: 'HSM', KeyStoreId: keyStoreId });
    expect(metadata.CreationDate).toMatch(SEED_DATE_PATTERN);
    t = await createTestCore(t.dataDir);
  });
});
