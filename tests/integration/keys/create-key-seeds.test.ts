/**
 * CreateKey and DescribeKey as seeds 002 and 003 write them: dates to the second, the alias made
 * with the key in one transaction, and the external-material acknowledgement as part of the input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTERNAL_KEY_SPECS, KEY_SPECS } from '../../../shared/contract';
import { listTokenObjects } from '../../support/pkcs11-tool';
import { SEED_DATE_PATTERN } from '../../support/seed-date';
import { CANARY_PASSWORD, createInitializedTestCore, disposeTestCore, type TestCore } from '../../support/test-core';

describe('CreateKey / DescribeKey in the seeds\' form (real SoftHSM2 + SQLite)', () => {
  let t: TestCore;
  // Milliseconds on purpose: the API must not show them.
  const clock = Date.parse('2019-07-04T13:14:15.678Z');

  beforeAll(async () => {
    t = await createInitializedTestCore({ now: () => new Date(clock) });
  });
  afterAll(async () => {
    await disposeTestCore(t);
  });

  it('returns every date as 2019-07-04T13:14:15Z, without milliseconds', async () => {
    const created = await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256', EnableAutomaticRotation: true, RotationInterval: '30d' });
    expect(created.KeyMetadata.CreationDate).toBe('2019-07-04T13:14:15Z');
    const keyId = created.KeyMetadata.KeyId;
    const { KeyMetadata } = await t.call('DescribeKey', { KeyId: keyId });
    expect(KeyMetadata).toMatchObject({ CreationDate: '2019-07-04T13:14:15Z', LastRotationDate: '', NextRotationDate: '2019-08-03T13:14:15Z' });
    const scheduled = await t.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    expect(scheduled.DeleteDate).toBe('2019-07-11T13:14:15Z');
    expect((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.DeleteDate).toBe('2019-07-11T13:14:15Z');
    await t.call('CancelKeyDeletion', { KeyId: keyId });

    const listed = (await t.call('ListKeys', {})).Keys.find((key) => key.KeyId === keyId);
    expect(listed?.CreationDate).toBe('2019-07-04T13:14:15Z');
    const version = await t.call('CreateKeyVersion', { KeyId: keyId });
    expect(version.KeyVersion.CreationDate).toBe('2019-07-04T13:14:15Z');
    const versions = (await t.call('ListKeyVersions', { KeyId: keyId })).KeyVersions.map((entry) => entry.CreationDate);
    expect(versions).toEqual(['2019-07-04T13:14:15Z', '2019-07-04T13:14:15Z']);
    for (const store of (await t.call('DescribeKeyStores', {})).KeyStores) expect(store.CreationDate).toMatch(SEED_DATE_PATTERN);

    const external = await t.call('CreateKey', { Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true });
    const parameters = await t.call('GetParametersForImport', { KeyId: external.KeyMetadata.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_1', WrappingKeySpec: 'RSA_2048' });
    expect(parameters.TokenExpireTime).toBe('2019-07-05T13:14:15Z');
  });

  it('creates the alias with the key, in one transaction', async () => {
    const { KeyMetadata } = await t.call('CreateKey', { Description: 'with a name', Alias: 'alias/seed/payments' });
    const { Aliases } = await t.call('ListAliasesByKeyId', { KeyId: KeyMetadata.KeyId });
    expect(Aliases.map((alias) => alias.AliasName)).toEqual(['alias/seed/payments']);
    expect((await t.call('DescribeKey', { KeyId: 'alias/seed/payments' })).KeyMetadata.KeyId).toBe(KeyMetadata.KeyId);
    const audit = await t.call('ListAuditEvents', { Filters: [{ Key: 'ResourceId', Values: [KeyMetadata.KeyId] }] });
    // One record: the alias is part of CreateKey's own change, not a second operation.
    expect(audit.Events.map((event) => [event.Operation, event.Details.Alias])).toEqual([['CreateKey', 'alias/seed/payments']]);
  });

  it('refuses a taken alias with AlreadyExists.Alias and leaves no key and no HSM object behind', async () => {
    await t.call('CreateKey', { Alias: 'alias/seed/taken' });
    const keysBefore = (await t.call('ListKeys', { PageSize: 100 })).TotalCount;
    const objectsBefore = listTokenObjects(t.dataDir, CANARY_PASSWORD).length;

    const refused = await t.fail('CreateKey', { Description: 'second owner', Alias: 'alias/seed/taken' });
    expect(refused.Code).toBe('AlreadyExists.Alias');
    expect(refused.Message).toContain('alias/seed/taken');
    expect((await t.call('ListKeys', { PageSize: 100 })).TotalCount).toBe(keysBefore);
    expect(listTokenObjects(t.dataDir, CANARY_PASSWORD).length).toBe(objectsBefore);
  });

  it('checks the alias name with the contract schema before anything is made', async () => {
    const keysBefore = (await t.call('ListKeys', { PageSize: 100 })).TotalCount;
    for (const bad of ['payments', 'alias/', 'alias/has space', 'alias/ünïcode']) {
      expect((await t.fail('CreateKey', { Alias: bad })).Code).toBe('InvalidParameter');
    }
    expect((await t.call('ListKeys', { PageSize: 100 })).TotalCount).toBe(keysBefore);
  });

  it('requires AcknowledgeExternalKeyMaterial for Origin EXTERNAL, for exactly the shared list of specs', async () => {
    const refused = await t.fail('CreateKey', { KeySpec: 'Aliyun_AES_256', Origin: 'EXTERNAL' });
    expect(refused.Code).toBe('InvalidParameter');
    expect(refused.Message).toContain('AcknowledgeExternalKeyMaterial');
    expect((await t.fail('CreateKey', { Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: false })).Code).toBe('InvalidParameter');

    for (const spec of KEY_SPECS) {
      const input = { KeySpec: spec, Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true };
      if (EXTERNAL_KEY_SPECS.includes(spec)) {
        expect((await t.call('CreateKey', input as never)).KeyMetadata).toMatchObject({ KeySpec: spec, KeyState: 'PendingImport', Origin: 'EXTERNAL' });
      } else {
        expect((await t.fail('CreateKey', input)).Code, spec).toBe('UnsupportedOperation');
      }
    }
  });
});
