/**
 * XKS proxy management on a real core (SoftHSM2 token, SQLite file): each rule of CreateXksProxy,
 * rotation and retirement of credentials, deletion, the audit records, and secrets kept only sealed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInitializedTestCore, disposeTestCore, type TestCore } from '../../support/test-core';

describe('XKS proxy management', () => {
  let t: TestCore;
  let aesKeyId: string;

  beforeAll(async () => {
    t = await createInitializedTestCore();
    aesKeyId = (await t.call('CreateKey', { Alias: 'alias/xks-managed' } as never)).KeyMetadata.KeyId;
    await t.call('CreateKey', { KeySpec: 'HMAC_SHA256', KeyUsage: 'GENERATE/VERIFY_MAC' } as never);
  }, 120_000);
  afterAll(async () => {
    await disposeTestCore(t);
  });

  it('creates a proxy with a credential in the spec’s formats, shown once and kept only sealed', async () => {
    const created = await t.call('CreateXksProxy', { Name: 'aws-prod', UriPath: '/prod', KeyStoreId: 'kst-default' });
    expect(created.XksProxyId).toMatch(/^xksp-[0-9a-f-]{36}$/);
    expect(created.AccessKeyId).toMatch(/^[A-Z2-7]{20}$/);
    expect(created.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{43}$/);
    expect(created.XksProxyUriPath).toBe('/prod/kms/xks/v1');
    const [described] = (await t.call('DescribeXksProxies', { XksProxyId: created.XksProxyId })).XksProxies;
    expect(described).toMatchObject({ Name: 'aws-prod', UriPath: '/prod', KeyStoreId: 'kst-default', AccessKeyIds: [created.AccessKeyId] });
    // Only the AES-256 key: neither the HMAC key nor Keyward's own access-keys CMK (same store).
    expect(described?.Keys).toEqual([{ KeyId: aesKeyId, Aliases: ['alias/xks-managed'], KeyState: 'Enabled' }]);
    expect(JSON.stringify(described)).not.toContain(created.SecretAccessKey);
    const registryBytes = Buffer.concat(['registry.sqlite', 'registry.sqlite-wal'].map((file) => {
      try {
        return readFileSync(path.join(t.dataDir, file));
      } catch {
        return Buffer.alloc(0);
      }
    }));
    expect(registryBytes.length).toBeGreaterThan(0);
    expect(registryBytes.includes(Buffer.from(created.SecretAccessKey))).toBe(false);
    const { Events } = await t.call('ListAuditEvents', { PageSize: 50, Filters: [{ Key: 'Operation', Values: ['CreateXksProxy'] }] } as never);
    expect(Events[0]).toMatchObject({ ResourceId: created.XksProxyId, Outcome: 'SUCCESS' });
    expect(Events[0]?.Details).toMatchObject({ Name: 'aws-prod', UriPath: '/prod', AccessKeyId: created.AccessKeyId });
    expect(JSON.stringify(Events)).not.toContain(created.SecretAccessKey);
  });

  it('refuses a taken name, an overlapping or malformed path, and an unknown key store', async () => {
    expect((await t.fail('CreateXksProxy', { Name: 'aws-prod', UriPath: '/other', KeyStoreId: 'kst-default' })).Code).toBe('AlreadyExists.XksProxy');
    expect((await t.fail('CreateXksProxy', { Name: 'p2', UriPath: '/prod', KeyStoreId: 'kst-default' })).Code).toBe('AlreadyExists.XksProxy');
    expect((await t.fail('CreateXksProxy', { Name: 'p2', UriPath: '/prod/eu', KeyStoreId: 'kst-default' })).Code).toBe('AlreadyExists.XksProxy');
    for (const UriPath of ['prod2', '/prod2/', '//prod2', '/pr od', `/${'a'.repeat(120)}`]) {
      expect((await t.fail('CreateXksProxy', { Name: 'p2', UriPath, KeyStoreId: 'kst-default' })).Code, UriPath).toBe('InvalidParameter');
    }
    expect((await t.fail('CreateXksProxy', { Name: 'p2', UriPath: '/p2', KeyStoreId: 'kst-nope' })).Code).toBe('NotFound.KeyStore');
    // A path that only shares characters, not a segment, is free.
    const free = await t.call('CreateXksProxy', { Name: 'p2', UriPath: '/production', KeyStoreId: 'kst-default' });
    await t.call('DeleteXksProxy', { XksProxyId: free.XksProxyId });
    expect((await t.call('DescribeXksProxies', {})).XksProxies.map((proxy) => proxy.Name)).toEqual(['aws-prod']);
  });

  it('rotates (old and new listed, newest first), retires all but the newest, and refuses to retire the last', async () => {
    const [proxy] = (await t.call('DescribeXksProxies', {})).XksProxies;
    const id = proxy?.XksProxyId ?? '';
    const first = proxy?.AccessKeyIds[0];
    const rotated = await t.call('RotateXksProxyCredential', { XksProxyId: id });
    expect(rotated.AccessKeyId).not.toBe(first);
    expect((await t.call('DescribeXksProxies', { XksProxyId: id })).XksProxies[0]?.AccessKeyIds).toEqual([rotated.AccessKeyId, first]);
    const retired = await t.call('RetireXksProxyCredential', { XksProxyId: id });
    expect(retired).toMatchObject({ AccessKeyId: rotated.AccessKeyId, RetiredAccessKeyIds: [first] });
    expect((await t.call('DescribeXksProxies', { XksProxyId: id })).XksProxies[0]?.AccessKeyIds).toEqual([rotated.AccessKeyId]);
    expect((await t.fail('RetireXksProxyCredential', { XksProxyId: id })).Code).toBe('Forbidden.XksProxyCredential');
    const { Events } = await t.call('ListAuditEvents', { PageSize: 50, Filters: [{ Key: 'ResourceId', Values: [id] }] } as never);
    expect(Events.map((event) => event.Operation)).toEqual(expect.arrayContaining(['RotateXksProxyCredential', 'RetireXksProxyCredential']));
  });

  it('deletes a proxy (audited), after which it is unknown', async () => {
    const [proxy] = (await t.call('DescribeXksProxies', {})).XksProxies;
    const id = proxy?.XksProxyId ?? '';
    await t.call('DeleteXksProxy', { XksProxyId: id });
    expect((await t.fail('DescribeXksProxies', { XksProxyId: id })).Code).toBe('NotFound.XksProxy');
    expect((await t.fail('RotateXksProxyCredential', { XksProxyId: id })).Code).toBe('NotFound.XksProxy');
    expect((await t.fail('DeleteXksProxy', { XksProxyId: id })).Code).toBe('NotFound.XksProxy');
    const { Events } = await t.call('ListAuditEvents', { PageSize: 50, Filters: [{ Key: 'Operation', Values: ['DeleteXksProxy'] }] } as never);
    expect(Events.filter((event) => event.Outcome === 'SUCCESS').map((event) => event.ResourceId)).toContain(id);
    expect((await t.call('VerifyAuditLog', {} as never)).Valid).toBe(true);
  });
});
