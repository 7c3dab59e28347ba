/**
 * Network rules, policies and application access points through the dispatcher of a real core
 * (SQLite file, SoftHSM2 worker), and the authorizer reading that registry at each call.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_USER_PERMISSION, SECRET_USER_PERMISSION } from '../../../shared/contract';
import { openRegistry, type Registry } from '../../../electron/main/registry';
import { RegistryAccessAuthorizer } from '../../../electron/main/services/access/access-authorizer';
import type { ServiceContext } from '../../../electron/main/services/service-context';
import { runKms } from '../../support/run-cli';
import { CANARY_PASSWORD, createTestCore, disposeTestCore, removeDir, type TestCore } from '../../support/test-core';

describe('access management', () => {
  let t: TestCore;
  // A second connection to the core's registry file: client key rows (issued elsewhere) and the authorizer.
  let registry: Registry;

  const auditOf = async (operation: string, resourceId: string) =>
    (
      await t.call('ListAuditEvents', {
        PageSize: 100,
        Filters: [
          { Key: 'Operation', Values: [operation] },
          { Key: 'ResourceId', Values: [resourceId] },
        ],
      })
    ).Events;
  const addClientKey = (accessPointName: string): string => {
    const clientKeyId = `KAAP.${randomUUID()}`;
    const fingerprint = randomUUID().replaceAll('-', '');
    registry.clientKeys.insert({
      clientKeyId,
      accessPointName,
      keyAlgorithm: 'RSA_2048',
      certificatePem: 'test certificate',
      certificateSerial: fingerprint,
      certificateSha256: fingerprint,
      notBefore: '2026-01-01T00:00:00.000Z',
      notAfter: '2031-01-01T00:00:00.000Z',
      secretKeyId: 'key-test',
      secretWrappedKey: Buffer.from([1]),
      secretSealed: Buffer.from([2]),
      createdAt: new Date().toISOString(),
    });
    return clientKeyId;
  };

  beforeAll(async () => {
    t = await createTestCore();
    registry = openRegistry({ file: path.join(t.dataDir, 'registry.sqlite') });
  }, 120_000);
  afterAll(async () => {
    registry.close();
    await disposeTestCore(t);
  });

  describe('network rules', () => {
    it('creates a rule with its addresses de-duplicated by meaning, as written, and audits it', async () => {
      const created = await t.call('CreateNetworkRule', {
        Name: 'office',
        SourcePrivateIp: ['10.0.0.1/32', '10.0.0.1', '192.168.0.0/16', '2001:db8::1', '2001:DB8:0::1'],
        Description: 'office LAN',
      });
      expect(created).toMatchObject({
        Name: 'office',
        Type: 'Private',
        SourcePrivateIp: ['10.0.0.1/32', '192.168.0.0/16', '2001:db8::1'],
        Description: 'office LAN',
        Policies: [],
        RequestId: expect.any(String),
      });
      expect(created.CreatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(await t.call('DescribeNetworkRule', { Name: 'office' })).toMatchObject({ SourcePrivateIp: ['10.0.0.1/32', '192.168.0.0/16', '2001:db8::1'] });
      const [record] = await auditOf('CreateNetworkRule', 'office');
      expect(record).toMatchObject({ Outcome: 'SUCCESS', Details: { SourceAddresses: '10.0.0.1/32, 192.168.0.0/16, 2001:db8::1' } });
    });

    it('refuses a taken name, malformed addresses and missing rules, each audited as a failure', async () => {
      expect(await t.fail('CreateNetworkRule', { Name: 'office', SourcePrivateIp: ['10.9.9.9'] })).toMatchObject({ Code: 'AlreadyExists.NetworkRule' });
      expect((await t.call('DescribeNetworkRule', { Name: 'office' })).SourcePrivateIp).not.toContain('10.9.9.9');
      expect(await t.fail('CreateNetworkRule', { Name: 'bad', SourcePrivateIp: ['10.0.0.0/33'] })).toMatchObject({ Code: 'InvalidParameter' });
      expect(await t.fail('CreateNetworkRule', { Name: 'bad', SourcePrivateIp: [] })).toMatchObject({ Code: 'InvalidParameter' });
      for (const [operation, input] of [
        ['DescribeNetworkRule', { Name: 'nowhere' }],
        ['UpdateNetworkRule', { Name: 'nowhere', Description: 'x' }],
        ['DeleteNetworkRule', { Name: 'nowhere' }],
      ] as const) {
        expect(await t.fail(operation, input), operation).toMatchObject({ Code: 'NotFound.NetworkRule' });
      }
      expect(await auditOf('CreateNetworkRule', 'office')).toEqual([
        expect.objectContaining({ Outcome: 'FAILURE', ErrorCode: 'AlreadyExists.NetworkRule' }),
        expect.objectContaining({ Outcome: 'SUCCESS' }),
      ]);
      expect(await auditOf('DeleteNetworkRule', 'nowhere')).toEqual([expect.objectContaining({ Outcome: 'FAILURE', ErrorCode: 'NotFound.NetworkRule' })]);
    });

    it('updates addresses and description separately, and pages the list by name', async () => {
      await t.call('CreateNetworkRule', { Name: 'lab', SourcePrivateIp: ['172.16.0.0/12'] });
      await t.call('CreateNetworkRule', { Name: 'datacenter', SourcePrivateIp: ['fd00::/8'] });
      const readdressed = await t.call('UpdateNetworkRule', { Name: 'lab', SourcePrivateIp: ['172.16.1.0/24', '172.16.1.7/24'] });
      expect(readdressed).toMatchObject({ SourcePrivateIp: ['172.16.1.0/24'], Description: '' });
      const described = await t.call('UpdateNetworkRule', { Name: 'lab', Description: 'lab bench' });
      expect(described).toMatchObject({ SourcePrivateIp: ['172.16.1.0/24'], Description: 'lab bench' });
      expect(await auditOf('UpdateNetworkRule', 'lab')).toEqual([
        expect.objectContaining({ Details: { Description: 'lab bench' } }),
        expect.objectContaining({ Details: { SourceAddresses: '172.16.1.0/24' } }),
      ]);

      const first = await t.call('ListNetworkRules', { PageNumber: 1, PageSize: 2 });
      expect(first).toMatchObject({ TotalCount: 3, PageNumber: 1, PageSize: 2 });
      expect(first.NetworkRules.map((rule) => rule.Name)).toEqual(['datacenter', 'lab']);
      const second = await t.call('ListNetworkRules', { PageNumber: 2, PageSize: 2 });
      expect(second.NetworkRules.map((rule) => rule.Name)).toEqual(['office']);
    });
  });

  describe('policies', () => {
    it('refuses network rules that do not exist, naming them, and creates nothing', async () => {
      const refused = await t.fail('CreatePolicy', {
        Name: 'keys',
        Permissions: [KEY_USER_PERMISSION],
        Resources: ['key/*'],
        AccessControlRules: { NetworkRules: ['office', 'ghost', 'phantom'] },
      });
      expect(refused).toMatchObject({ Code: 'NotFound.NetworkRule', Message: 'Network rules ghost, phantom do not exist.' });
      expect(await t.fail('DescribePolicy', { Name: 'keys' })).toMatchObject({ Code: 'NotFound.Policy' });
    });

    it('creates a policy, shows it on its rules, and refuses a taken name', async () => {
      const created = await t.call('CreatePolicy', {
        Name: 'keys',
        Permissions: [KEY_USER_PERMISSION, KEY_USER_PERMISSION],
        Resources: ['key/*', 'alias/payments'],
        AccessControlRules: { NetworkRules: ['office', 'lab'] },
      });
      expect(created).toMatchObject({
        Name: 'keys',
        Permissions: [KEY_USER_PERMISSION],
        Resources: ['key/*', 'alias/payments'],
        AccessControlRules: { NetworkRules: ['lab', 'office'] },
        AccessPoints: [],
      });
      expect((await t.call('DescribeNetworkRule', { Name: 'office' })).Policies).toEqual(['keys']);
      expect(await t.fail('CreatePolicy', { Name: 'keys', Permissions: [SECRET_USER_PERMISSION], Resources: ['secret/*'], AccessControlRules: { NetworkRules: ['lab'] } }))
        .toMatchObject({ Code: 'AlreadyExists.Policy' });
      expect(await auditOf('CreatePolicy', 'keys')).toEqual([
        expect.objectContaining({ Outcome: 'FAILURE', ErrorCode: 'AlreadyExists.Policy' }),
        expect.objectContaining({ Outcome: 'SUCCESS', Details: expect.objectContaining({ NetworkRules: 'office, lab' }) }),
        expect.objectContaining({ Outcome: 'FAILURE', ErrorCode: 'NotFound.NetworkRule' }),
      ]);
    });

    it('refuses to delete a rule a policy uses, naming the policy, and changes nothing', async () => {
      const refused = await t.fail('DeleteNetworkRule', { Name: 'lab' });
      expect(refused).toMatchObject({ Code: 'Forbidden.ResourceInUse' });
      expect(refused.Message).toContain('policy keys');
      expect(await t.call('DescribeNetworkRule', { Name: 'lab' })).toMatchObject({ Policies: ['keys'] });
      expect(await auditOf('DeleteNetworkRule', 'lab')).toEqual([expect.objectContaining({ Outcome: 'FAILURE', ErrorCode: 'Forbidden.ResourceInUse' })]);
    });

    it('updates permissions, resources and rules; an unknown rule changes nothing', async () => {
      expect(await t.fail('UpdatePolicy', { Name: 'keys', Resources: ['key/*'], AccessControlRules: { NetworkRules: ['ghost'] } })).toMatchObject({
        Code: 'NotFound.NetworkRule',
        Message: 'Network rule ghost does not exist.',
      });
      expect(await t.call('DescribePolicy', { Name: 'keys' })).toMatchObject({ Resources: ['key/*', 'alias/payments'], AccessControlRules: { NetworkRules: ['lab', 'office'] } });
      expect(await t.fail('UpdatePolicy', { Name: 'nobody', Description: 'x' })).toMatchObject({ Code: 'NotFound.Policy' });

      const updated = await t.call('UpdatePolicy', { Name: 'keys', AccessControlRules: { NetworkRules: ['office'] }, Description: 'key users' });
      expect(updated).toMatchObject({ Resources: ['key/*', 'alias/payments'], AccessControlRules: { NetworkRules: ['office'] }, Description: 'key users' });
      expect((await t.call('DescribeNetworkRule', { Name: 'lab' })).Policies).toEqual([]);
      await t.call('DeleteNetworkRule', { Name: 'lab' });
      expect(await t.fail('DescribeNetworkRule', { Name: 'lab' })).toMatchObject({ Code: 'NotFound.NetworkRule' });
      expect(await auditOf('DeleteNetworkRule', 'lab')).toEqual([
        expect.objectContaining({ Outcome: 'SUCCESS' }),
        expect.objectContaining({ Outcome: 'FAILURE' }),
      ]);
      expect((await auditOf('UpdatePolicy', 'keys'))[0]).toMatchObject({ Outcome: 'SUCCESS', Details: { NetworkRules: 'office', Description: 'key users' } });

      await t.call('CreatePolicy', { Name: 'secrets', Permissions: [SECRET_USER_PERMISSION], Resources: ['secret/*'], AccessControlRules: { NetworkRules: ['datacenter'] } });
      const page = await t.call('ListPolicies', { PageNumber: 2, PageSize: 1 });
      expect(page).toMatchObject({ TotalCount: 2, Policies: [expect.objectContaining({ Name: 'secrets' })] });
    });
  });

  describe('application access points', () => {
    it('refuses unknown policies, then creates one and shows it on its policies', async () => {
      expect(await t.fail('CreateApplicationAccessPoint', { Name: 'payments-app', Policies: ['keys', 'nope'] })).toMatchObject({
        Code: 'NotFound.Policy',
        Message: 'Policy nope does not exist.',
      });
      expect(await t.fail('DescribeApplicationAccessPoint', { Name: 'payments-app' })).toMatchObject({ Code: 'NotFound.ApplicationAccessPoint' });
      expect(await t.fail('CreateApplicationAccessPoint', { Name: 'payments-app', Policies: ['a', 'b', 'c', 'd'] })).toMatchObject({ Code: 'InvalidParameter' });

      const created = await t.call('CreateApplicationAccessPoint', { Name: 'payments-app', Policies: ['keys'], Description: 'payments' });
      expect(created).toMatchObject({ Name: 'payments-app', AuthenticationMethod: 'ClientKey', Policies: ['keys'], Description: 'payments', ClientKeyCount: 0 });
      expect((await t.call('DescribePolicy', { Name: 'keys' })).AccessPoints).toEqual(['payments-app']);
      expect(await t.fail('CreateApplicationAccessPoint', { Name: 'payments-app', Policies: ['secrets'] })).toMatchObject({ Code: 'AlreadyExists.ApplicationAccessPoint' });
      expect(await auditOf('CreateApplicationAccessPoint', 'payments-app')).toEqual([
        expect.objectContaining({ Outcome: 'FAILURE', ErrorCode: 'AlreadyExists.ApplicationAccessPoint' }),
        expect.objectContaining({ Outcome: 'SUCCESS', Details: expect.objectContaining({ Policies: 'keys' }) }),
        expect.objectContaining({ Outcome: 'FAILURE', ErrorCode: 'NotFound.Policy' }),
      ]);
    });

    it('refuses to delete a policy an access point uses, naming it, until it is detached', async () => {
      const refused = await t.fail('DeletePolicy', { Name: 'keys' });
      expect(refused).toMatchObject({ Code: 'Forbidden.ResourceInUse' });
      expect(refused.Message).toContain('access point payments-app');
      expect(await t.call('DescribePolicy', { Name: 'keys' })).toMatchObject({ AccessPoints: ['payments-app'] });

      const updated = await t.call('UpdateApplicationAccessPoint', { Name: 'payments-app', Policies: ['secrets'] });
      expect(updated).toMatchObject({ Policies: ['secrets'], Description: 'payments' });
      expect(await t.fail('UpdateApplicationAccessPoint', { Name: 'payments-app', Policies: ['gone'] })).toMatchObject({ Code: 'NotFound.Policy' });
      expect(await t.fail('UpdateApplicationAccessPoint', { Name: 'no-app', Description: 'x' })).toMatchObject({ Code: 'NotFound.ApplicationAccessPoint' });
      expect((await t.call('DescribeApplicationAccessPoint', { Name: 'payments-app' })).Policies).toEqual(['secrets']);

      await t.call('DeletePolicy', { Name: 'keys' });
      expect(await t.fail('DescribePolicy', { Name: 'keys' })).toMatchObject({ Code: 'NotFound.Policy' });
      expect(await auditOf('DeletePolicy', 'keys')).toEqual([
        expect.objectContaining({ Outcome: 'SUCCESS' }),
        expect.objectContaining({ Outcome: 'FAILURE', ErrorCode: 'Forbidden.ResourceInUse' }),
      ]);
      expect(await t.fail('DeletePolicy', { Name: 'keys' })).toMatchObject({ Code: 'NotFound.Policy' });
    });

    it('counts client keys, and revokes them all when the access point is deleted', async () => {
      await t.call('CreateApplicationAccessPoint', { Name: 'batch-app', Policies: ['secrets'] });
      const first = addClientKey('batch-app');
      addClientKey('batch-app');
      addClientKey('payments-app');
      expect((await t.call('DescribeApplicationAccessPoint', { Name: 'batch-app' })).ClientKeyCount).toBe(2);
      const listed = await t.call('ListApplicationAccessPoints', {});
      expect(listed.ApplicationAccessPoints.map((aap) => [aap.Name, aap.ClientKeyCount])).toEqual([
        ['batch-app', 2],
        ['payments-app', 1],
      ]);

      expect(await t.call('DeleteApplicationAccessPoint', { Name: 'batch-app' })).toMatchObject({ RevokedClientKeys: 2 });
      expect(registry.clientKeys.get(first)).toBeNull();
      expect(registry.clientKeys.listByAccessPoint('payments-app')).toHaveLength(1);
      expect(await t.fail('DeleteApplicationAccessPoint', { Name: 'batch-app' })).toMatchObject({ Code: 'NotFound.ApplicationAccessPoint' });
      expect(await auditOf('DeleteApplicationAccessPoint', 'batch-app')).toEqual([
        expect.objectContaining({ Outcome: 'FAILURE', ErrorCode: 'NotFound.ApplicationAccessPoint' }),
        expect.objectContaining({ Outcome: 'SUCCESS', Details: { RevokedClientKeys: 2 } }),
      ]);
      expect((await t.call('DescribePolicy', { Name: 'secrets' })).AccessPoints).toEqual(['payments-app']);
    });
  });

  describe('the authorizer on the registry', () => {
    it('decides from the registry as it is at each call', async () => {
      const authorizer = new RegistryAccessAuthorizer({ registry } as ServiceContext);
      await t.call('CreateNetworkRule', { Name: 'loopback', SourcePrivateIp: ['127.0.0.1'] });
      await t.call('CreatePolicy', { Name: 'loop-keys', Permissions: [KEY_USER_PERMISSION], Resources: ['alias/payments'], AccessControlRules: { NetworkRules: ['loopback'] } });
      await t.call('CreateApplicationAccessPoint', { Name: 'auth-app', Policies: ['loop-keys'] });
      const encrypt = { aapName: 'auth-app', operation: 'Encrypt', key: { keyId: 'key-1', aliasNames: ['alias/payments'] } } as const;

      expect(authorizer.decide({ ...encrypt, sourceAddress: '127.0.0.1' })).toEqual({ allowed: true, policy: 'loop-keys' });
      expect(authorizer.decide({ ...encrypt, sourceAddress: '::ffff:127.0.0.1' })).toMatchObject({ allowed: true });
      expect(authorizer.decide({ ...encrypt, sourceAddress: '127.0.0.2' })).toMatchObject({ code: 'Forbidden.SourceAddress' });
      expect(authorizer.decide({ ...encrypt, key: { keyId: 'key-1', aliasNames: [] }, sourceAddress: '127.0.0.1' })).toMatchObject({ code: 'Forbidden.Resource' });
      expect(authorizer.decide({ aapName: 'auth-app', operation: 'GetSecretValue', secretName: 'db', sourceAddress: '127.0.0.1' })).toMatchObject({
        code: 'Forbidden.Permission',
      });

      await t.call('UpdateNetworkRule', { Name: 'loopback', SourcePrivateIp: ['127.0.0.0/30'] });
      expect(authorizer.decide({ ...encrypt, sourceAddress: '127.0.0.2' })).toMatchObject({ allowed: true });
      await t.call('UpdateApplicationAccessPoint', { Name: 'auth-app', Policies: ['secrets'] });
      expect(authorizer.decide({ ...encrypt, sourceAddress: '127.0.0.2' })).toMatchObject({ code: 'Forbidden.SourceAddress' });
      await t.call('DeleteApplicationAccessPoint', { Name: 'auth-app' });
      expect(authorizer.decide({ ...encrypt, sourceAddress: '127.0.0.1' })).toMatchObject({ allowed: false, code: 'Unauthenticated.ClientKeyRevoked' });
    });
  });
});

describe('access management through kms', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'keyward-cli-access-'));
  afterAll(() => removeDir(dataDir));

  it('creates a network rule with the generic binding', async () => {
    const env = { KMS_DATA_DIR: dataDir, KMS_DEFAULT_KEYSTORE_PASSWORD: CANARY_PASSWORD };
    const created = await runKms(['CreateNetworkRule', '--cli-input-json', JSON.stringify({ Name: 'cli-rule', SourcePrivateIp: ['10.1.0.0/16', '10.1.0.0/16'] })], { env });
    expect(created.code, created.stderr).toBe(0);
    expect(created.json).toMatchObject({ Name: 'cli-rule', SourcePrivateIp: ['10.1.0.0/16'], Policies: [] });
  }, 120_000);
});
