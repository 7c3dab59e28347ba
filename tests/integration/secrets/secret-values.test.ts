/**
 * Secrets Manager on a real SoftHSM2 default key store and a real SQLite registry: creating with the
 * default CMK, reading, putting versions, stages (automatic and moved), idempotent retries,
 * check-and-set, the stage limit, pruning of versions without a stage, lists and tags. One core
 * for the whole file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SECRETS_KEY_ALIAS, MAX_UNSTAGED_SECRET_VERSIONS } from '../../../shared/contract';
import { createInitializedTestCore, disposeTestCore, type TestCore } from '../../support/test-core';

const VALUE = 'db-password: Kx9!canary-value-4711';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('secret values, versions and stages (real SoftHSM2 + SQLite)', () => {
  let t: TestCore;
  const stagesOf = async (SecretName: string): Promise<Record<string, string[]>> => {
    const described = await t.call('DescribeSecret', { SecretName });
    return Object.fromEntries(described.VersionIdsToStages.map((entry) => [entry.VersionId, entry.VersionStages]));
  };
  const valueOf = async (SecretName: string, extra: { VersionId?: string; VersionStage?: string } = {}): Promise<string> =>
    (await t.call('GetSecretValue', { SecretName, ...extra })).SecretData;

  beforeAll(async () => {
    t = await createInitializedTestCore();
  });
  afterAll(async () => {
    await disposeTestCore(t);
  });

  it('CreateSecret without EncryptionKeyId makes the default secrets key (AES-256, reserved alias) once, and reads back', async () => {
    const created = await t.call('CreateSecret', { SecretName: 'prod/db', SecretData: VALUE, VersionId: 'v1', Description: 'database' });
    expect(created).toMatchObject({ SecretName: 'prod/db', VersionId: 'v1' });
    expect(created.Arn).toMatch(/^acs:kms:offline-1:\d{16}:secret\/prod\/db$/);
    const key = (await t.call('DescribeKey', { KeyId: DEFAULT_SECRETS_KEY_ALIAS })).KeyMetadata;
    expect(key).toMatchObject({ KeySpec: 'Aliyun_AES_256', KeyUsage: 'ENCRYPT/DECRYPT', KeyState: 'Enabled', KeyStoreId: 'kst-default' });
    await t.call('CreateSecret', { SecretName: 'prod/api', SecretData: 'token', VersionId: 'a1' });
    expect((await t.call('ListAliasesByKeyId', { KeyId: key.KeyId })).Aliases.map((alias) => alias.AliasName)).toEqual([DEFAULT_SECRETS_KEY_ALIAS]);
    expect((await t.call('ListKeys', {})).TotalCount).toBe(1); // one default key, not one per secret

    const read = await t.call('GetSecretValue', { SecretName: 'prod/db' });
    expect(read).toMatchObject({ SecretName: 'prod/db', VersionId: 'v1', VersionStages: ['ACSCurrent'], SecretData: VALUE, SecretDataType: 'text' });
    expect(read.CreateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const described = await t.call('DescribeSecret', { SecretName: 'prod/db' });
    expect(described).toMatchObject({ Description: 'database', EncryptionKeyId: key.KeyId, SecretState: 'Enabled', CurrentVersionId: 'v1', PlannedDeleteTime: '' });
    expect((await t.fail('CreateSecret', { SecretName: 'prod/db', SecretData: 'other', VersionId: 'x' })).Code).toBe('AlreadyExists.Secret');
    expect((await t.fail('GetSecretValue', { SecretName: 'nope' })).Code).toBe('NotFound.Secret');
    expect((await t.fail('GetSecretValue', { SecretName: 'prod/db', VersionId: 'v9' })).Code).toBe('NotFound.SecretVersion');
    expect((await t.fail('GetSecretValue', { SecretName: 'prod/db', VersionStage: 'Nowhere' })).Code).toBe('NotFound.SecretVersion');
  });

  it('a user cannot create, move or delete an alias under alias/keyward/', async () => {
    const { KeyMetadata } = await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256' });
    expect((await t.fail('CreateAlias', { AliasName: 'alias/keyward/mine', KeyId: KeyMetadata.KeyId })).Code).toBe('InvalidParameter');
    expect((await t.fail('UpdateAlias', { AliasName: DEFAULT_SECRETS_KEY_ALIAS, KeyId: KeyMetadata.KeyId })).Code).toBe('InvalidParameter');
    expect((await t.fail('DeleteAlias', { AliasName: DEFAULT_SECRETS_KEY_ALIAS })).Code).toBe('InvalidParameter');
    expect((await t.fail('CreateKey', { Alias: 'alias/keyward/other' })).Code).toBe('InvalidParameter');
    await t.call('CreateAlias', { AliasName: 'alias/keywardish', KeyId: KeyMetadata.KeyId }); // only the prefix with its slash
  });

  it('binary values round-trip as base64; text must be well-formed', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
    await t.call('CreateSecret', { SecretName: 'ssh/host-key', SecretData: bytes.toString('base64'), SecretDataType: 'binary', VersionId: 'b1' });
    const read = await t.call('GetSecretValue', { SecretName: 'ssh/host-key' });
    expect(read).toMatchObject({ SecretDataType: 'binary', SecretData: bytes.toString('base64') });
    expect((await t.fail('CreateSecret', { SecretName: 'bad', SecretData: 'x\uD800y', VersionId: 'v1' })).Code).toBe('InvalidParameter');
    expect((await t.fail('CreateSecret', { SecretName: 'bad', SecretData: 'not base64!', SecretDataType: 'binary', VersionId: 'v1' })).Code).toBe('InvalidParameter');
  });

  it('PutSecretValue moves ACSCurrent to the new version and ACSPrevious to the version it left', async () => {
    const put = await t.call('PutSecretValue', { SecretName: 'prod/db', VersionId: 'v2', SecretData: 'second' });
    expect(put).toEqual(expect.objectContaining({ SecretName: 'prod/db', VersionId: 'v2', VersionStages: ['ACSCurrent'] }));
    expect(await stagesOf('prod/db')).toEqual({ v2: ['ACSCurrent'], v1: ['ACSPrevious'] });
    expect(await valueOf('prod/db')).toBe('second');
    expect(await valueOf('prod/db', { VersionStage: 'ACSPrevious' })).toBe(VALUE);
    expect(await valueOf('prod/db', { VersionId: 'v1' })).toBe(VALUE);
    await t.call('PutSecretValue', { SecretName: 'prod/db', VersionId: 'v3', SecretData: 'third' });
    expect(await stagesOf('prod/db')).toEqual({ v3: ['ACSCurrent'], v2: ['ACSPrevious'], v1: [] });
    expect((await t.call('DescribeSecret', { SecretName: 'prod/db' })).CurrentVersionId).toBe('v3');
  });

  it('VersionStages without ACSCurrent leaves ACSCurrent where it is; named stages move to the new version', async () => {
    const put = await t.call('PutSecretValue', { SecretName: 'prod/db', VersionId: 'v4', SecretData: 'pending', VersionStages: ['AWSPENDING', 'Rollout'] });
    expect(put.VersionStages).toEqual(['AWSPENDING', 'Rollout']);
    expect(await stagesOf('prod/db')).toMatchObject({ v4: ['AWSPENDING', 'Rollout'], v3: ['ACSCurrent'], v2: ['ACSPrevious'] });
    expect(await valueOf('prod/db')).toBe('third');
    await t.call('PutSecretValue', { SecretName: 'prod/db', VersionId: 'v5', SecretData: 'pending 2', VersionStages: ['AWSPENDING'] });
    expect(await stagesOf('prod/db')).toMatchObject({ v5: ['AWSPENDING'], v4: ['Rollout'], v3: ['ACSCurrent'] });
    expect((await t.fail('PutSecretValue', { SecretName: 'prod/db', VersionId: 'v6', SecretData: 'x', VersionStages: ['ACSCurrent', 'ACSPrevious'] })).Code).toBe('InvalidParameter');
    expect((await t.fail('PutSecretValue', { SecretName: 'prod/db', VersionId: 'v6', SecretData: 'x', VersionStages: ['A', 'A'] })).Code).toBe('InvalidParameter');
  });

  it('the same VersionId with the same data is an idempotent retry; with other data AlreadyExists.SecretVersion', async () => {
    const before = await stagesOf('prod/db');
    const retried = await t.call('PutSecretValue', { SecretName: 'prod/db', VersionId: 'v3', SecretData: 'third' });
    expect(retried).toMatchObject({ VersionId: 'v3', VersionStages: ['ACSCurrent'] });
    expect(await stagesOf('prod/db')).toEqual(before);
    expect((await t.fail('PutSecretValue', { SecretName: 'prod/db', VersionId: 'v3', SecretData: 'thirD' })).Code).toBe('AlreadyExists.SecretVersion');
    expect((await t.fail('PutSecretValue', { SecretName: 'prod/db', VersionId: 'v3', SecretData: 'third!' })).Code).toBe('AlreadyExists.SecretVersion');
    const asBinary = Buffer.from('third').toString('base64');
    expect((await t.fail('PutSecretValue', { SecretName: 'prod/db', VersionId: 'v3', SecretData: asBinary, SecretDataType: 'binary' })).Code).toBe('AlreadyExists.SecretVersion');
    expect(await stagesOf('prod/db')).toEqual(before);
    expect(await valueOf('prod/db', { VersionId: 'v3' })).toBe('third');
  });

  it('ExpectedCurrentVersionId is a check-and-set on ACSCurrent', async () => {
    expect((await t.fail('PutSecretValue', { SecretName: 'prod/api', VersionId: 'a2', SecretData: 'n', ExpectedCurrentVersionId: 'a0' })).Code).toBe('Conflict.SecretVersion');
    expect(await stagesOf('prod/api')).toEqual({ a1: ['ACSCurrent'] }); // nothing stored
    await t.call('PutSecretValue', { SecretName: 'prod/api', VersionId: 'a2', SecretData: 'n', ExpectedCurrentVersionId: 'a1' });
    expect(await stagesOf('prod/api')).toEqual({ a2: ['ACSCurrent'], a1: ['ACSPrevious'] });
  });

  it('UpdateSecretVersionStage: move with RemoveFromVersion, ACSPrevious follows ACSCurrent, custom stages detach, built-ins cannot', async () => {
    const name = 'stage/rules';
    await t.call('CreateSecret', { SecretName: name, SecretData: 'one', VersionId: 's1' });
    await t.call('PutSecretValue', { SecretName: name, VersionId: 's2', SecretData: 'two' });
    await t.call('PutSecretValue', { SecretName: name, VersionId: 's3', SecretData: 'three', VersionStages: ['Canary'] });
    expect(await stagesOf(name)).toEqual({ s3: ['Canary'], s2: ['ACSCurrent'], s1: ['ACSPrevious'] });

    // A stage on another version moves only when the caller names where it is.
    expect((await t.fail('UpdateSecretVersionStage', { SecretName: name, VersionStage: 'ACSCurrent', MoveToVersion: 's3' })).Code).toBe('Conflict.SecretVersion');
    expect((await t.fail('UpdateSecretVersionStage', { SecretName: name, VersionStage: 'ACSCurrent', MoveToVersion: 's3', RemoveFromVersion: 's1' })).Code).toBe('Conflict.SecretVersion');
    expect((await t.fail('UpdateSecretVersionStage', { SecretName: name, VersionStage: 'ACSCurrent', MoveToVersion: 's9', RemoveFromVersion: 's2' })).Code).toBe('NotFound.SecretVersion');
    const moved = await t.call('UpdateSecretVersionStage', { SecretName: name, VersionStage: 'ACSCurrent', MoveToVersion: 's3', RemoveFromVersion: 's2' });
    expect(moved).toMatchObject({ SecretName: name, VersionStage: 'ACSCurrent', VersionId: 's3' });
    expect(await stagesOf(name)).toEqual({ s3: ['ACSCurrent', 'Canary'], s2: ['ACSPrevious'], s1: [] });
    expect(await valueOf(name)).toBe('three');

    // Rolling back: ACSCurrent to s2 takes ACSPrevious to s3.
    await t.call('UpdateSecretVersionStage', { SecretName: name, VersionStage: 'ACSCurrent', MoveToVersion: 's2', RemoveFromVersion: 's3' });
    expect(await stagesOf(name)).toEqual({ s3: ['ACSPrevious', 'Canary'], s2: ['ACSCurrent'], s1: [] });

    for (const stage of ['ACSCurrent', 'ACSPrevious']) {
      const holder = stage === 'ACSCurrent' ? 's2' : 's3';
      expect((await t.fail('UpdateSecretVersionStage', { SecretName: name, VersionStage: stage, RemoveFromVersion: holder })).Code).toBe('InvalidParameter');
    }
    await t.call('UpdateSecretVersionStage', { SecretName: name, VersionStage: 'Canary', RemoveFromVersion: 's3' });
    await t.call('UpdateSecretVersionStage', { SecretName: name, VersionStage: 'Blue', MoveToVersion: 's1' });
    expect(await stagesOf(name)).toEqual({ s3: ['ACSPrevious'], s2: ['ACSCurrent'], s1: ['Blue'] });
    // Already there: nothing to do.
    await t.call('UpdateSecretVersionStage', { SecretName: name, VersionStage: 'Blue', MoveToVersion: 's1' });
    expect((await t.fail('UpdateSecretVersionStage', { SecretName: name, VersionStage: 'Blue', RemoveFromVersion: 's2' })).Code).toBe('Conflict.SecretVersion');
  });

  it('at most 8 stages per secret (LimitExceeded.SecretVersionStage), nothing stored when refused', async () => {
    const name = 'stage/limit';
    await t.call('CreateSecret', { SecretName: name, SecretData: 'x', VersionId: 'l1' });
    await t.call('PutSecretValue', { SecretName: name, VersionId: 'l2', SecretData: 'y', VersionStages: ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'] });
    expect(Object.values(await stagesOf(name)).flat()).toHaveLength(7);
    expect((await t.fail('PutSecretValue', { SecretName: name, VersionId: 'l3', SecretData: 'z', VersionStages: ['S7', 'S8'] })).Code).toBe('LimitExceeded.SecretVersionStage');
    expect(Object.keys(await stagesOf(name))).toEqual(['l2', 'l1']);
    await t.call('UpdateSecretVersionStage', { SecretName: name, VersionStage: 'S7', MoveToVersion: 'l1' }); // the 8th
    expect((await t.fail('UpdateSecretVersionStage', { SecretName: name, VersionStage: 'S8', MoveToVersion: 'l1' })).Code).toBe('LimitExceeded.SecretVersionStage');
    // ACSPrevious appearing for the first time is a stage too.
    expect((await t.fail('PutSecretValue', { SecretName: name, VersionId: 'l3', SecretData: 'z' })).Code).toBe('LimitExceeded.SecretVersionStage');
  });

  it(`keeps the newest ${MAX_UNSTAGED_SECRET_VERSIONS} versions without a stage and destroys older ones`, async () => {
    const name = 'prune/me';
    await t.call('CreateSecret', { SecretName: name, SecretData: 'p0', VersionId: 'p00' });
    for (let i = 1; i <= MAX_UNSTAGED_SECRET_VERSIONS + 3; i += 1) {
      await t.call('PutSecretValue', { SecretName: name, VersionId: `p${String(i).padStart(2, '0')}`, SecretData: `p${i}` });
    }
    // p13 ACSCurrent, p12 ACSPrevious, then ten unstaged: p11 .. p02. p01 and p00 are gone.
    const all = await t.call('ListSecretVersionIds', { SecretName: name, IncludeDeprecated: true, PageSize: 100 });
    expect(all.TotalCount).toBe(MAX_UNSTAGED_SECRET_VERSIONS + 2);
    expect(all.VersionIds.map((entry) => entry.VersionId)).toEqual(Array.from({ length: 12 }, (_, index) => `p${String(13 - index).padStart(2, '0')}`));
    expect((await t.fail('GetSecretValue', { SecretName: name, VersionId: 'p01' })).Code).toBe('NotFound.SecretVersion');
    expect(await valueOf(name, { VersionId: 'p02' })).toBe('p2');
    const staged = await t.call('ListSecretVersionIds', { SecretName: name });
    expect(staged.VersionIds.map((entry) => [entry.VersionId, entry.VersionStages])).toEqual([['p13', ['ACSCurrent']], ['p12', ['ACSPrevious']]]);
    const page = await t.call('ListSecretVersionIds', { SecretName: name, IncludeDeprecated: true, PageSize: 5, PageNumber: 3 });
    expect(page.VersionIds.map((entry) => entry.VersionId)).toEqual(['p03', 'p02']);
    // A staged old version survives pruning.
    await t.call('UpdateSecretVersionStage', { SecretName: name, VersionStage: 'Keep', MoveToVersion: 'p02' });
    // p02 no longer counts: p12 .. p03 are the ten; two more puts make p13 and p12 unstaged.
    await t.call('PutSecretValue', { SecretName: name, VersionId: 'p14', SecretData: 'p14' });
    expect(await stagesOf(name)).toHaveProperty('p03');
    await t.call('PutSecretValue', { SecretName: name, VersionId: 'p15', SecretData: 'p15' });
    expect((await stagesOf(name)).p02).toEqual(['Keep']);
    expect(await stagesOf(name)).not.toHaveProperty('p03');
  });

  it('ListSecrets pages newest first and filters by name prefix, tag and state; tags through TagResource SecretName', async () => {
    await t.call('TagResource', { SecretName: 'prod/db', Tags: [{ TagKey: 'team', TagValue: 'dba' }, { TagKey: 'tier', TagValue: '1' }] });
    await t.call('TagResource', { SecretName: 'prod/api', Tags: [{ TagKey: 'team', TagValue: 'web' }] });
    expect(await t.call('ListResourceTags', { SecretName: 'prod/db' })).toMatchObject({ SecretName: 'prod/db', Tags: [{ TagKey: 'team', TagValue: 'dba' }, { TagKey: 'tier', TagValue: '1' }] });
    await t.call('UntagResource', { SecretName: 'prod/db', TagKeys: ['tier'] });
    expect((await t.call('ListResourceTags', { SecretName: 'prod/db' })).Tags).toEqual([{ TagKey: 'team', TagValue: 'dba' }]);
    expect((await t.fail('TagResource', { SecretName: 'nope', Tags: [{ TagKey: 'a', TagValue: 'b' }] })).Code).toBe('NotFound.Secret');
    expect((await t.fail('ListResourceTags', { SecretName: 'prod/db', KeyId: DEFAULT_SECRETS_KEY_ALIAS })).Code).toBe('InvalidParameter');
    expect((await t.fail('ListResourceTags', {})).Code).toBe('InvalidParameter');

    const names = async (input: Parameters<typeof t.call<'ListSecrets'>>[1]): Promise<string[]> =>
      (await t.call('ListSecrets', input)).SecretList.map((secret) => secret.SecretName);
    expect(await names({ Filters: [{ Key: 'NamePrefix', Values: ['prod/'] }] })).toEqual(['prod/api', 'prod/db']);
    expect(await names({ Filters: [{ Key: 'NamePrefix', Values: ['PROD/'] }] })).toEqual([]);
    expect(await names({ Filters: [{ Key: 'Tag', Values: ['team'] }] })).toEqual(['prod/api', 'prod/db']);
    expect(await names({ Filters: [{ Key: 'Tag', Values: ['team=dba'] }] })).toEqual(['prod/db']);
    expect(await names({ Filters: [{ Key: 'Tag', Values: ['team=web', 'team=dba'] }, { Key: 'NamePrefix', Values: ['prod/d'] }] })).toEqual(['prod/db']);
    expect(await names({ Filters: [{ Key: 'SecretState', Values: ['PendingDeletion'] }] })).toEqual([]);
    expect((await t.fail('ListSecrets', { Filters: [{ Key: 'SecretState', Values: ['Gone'] }] })).Code).toBe('InvalidParameter');
    const all = await t.call('ListSecrets', { PageSize: 2 });
    expect(all.TotalCount).toBe(6);
    const db = (await t.call('ListSecrets', { Filters: [{ Key: 'NamePrefix', Values: ['prod/db'] }] })).SecretList[0];
    expect(db).toMatchObject({ SecretName: 'prod/db', CurrentVersionId: 'v3', Tags: [{ TagKey: 'team', TagValue: 'dba' }], SecretState: 'Enabled' });
    const second = await t.call('ListSecrets', { PageSize: 2, PageNumber: 2 });
    expect(second.SecretList.map((s) => s.SecretName)).not.toContain(all.SecretList[0]?.SecretName);
  });

  it('audits every change with the secret ARN and each read as a use, never with the value', async () => {
    const events = (await t.call('ListAuditEvents', { PageSize: 100, Filters: [{ Key: 'Operation', Values: ['GetSecretValue', 'PutSecretValue', 'CreateSecret'] }] })).Events;
    const arn = (await t.call('DescribeSecret', { SecretName: 'prod/db' })).Arn;
    expect(events.filter((event) => event.ResourceId === arn).map((event) => event.Operation)).toEqual(
      expect.arrayContaining(['CreateSecret', 'PutSecretValue', 'GetSecretValue']),
    );
    expect(events.some((event) => event.Operation === 'GetSecretValue' && event.Outcome === 'FAILURE' && event.ErrorCode === 'NotFound.Secret' && event.ResourceId === 'nope')).toBe(true);
    const everything = JSON.stringify((await t.call('ListAuditEvents', { PageSize: 100 })).Events);
    for (const value of [VALUE, 'second', 'third', 'pending 2']) expect(everything.includes(value), value).toBe(false);
    expect((await t.call('VerifyAuditLog', {})).Valid).toBe(true);
  });

  it('stores values only sealed: no file of the data directory (SQLite, WAL, token files) holds one', () => {
    const needles = [VALUE, 'pending 2'].map((value) => Buffer.from(value, 'utf8'));
    for (const file of filesUnder(t.dataDir)) {
      const content = readFileSync(file);
      for (const needle of needles) expect(content.includes(needle), `${path.relative(t.dataDir, file)} holds a secret value`).toBe(false);
    }
  });
});
