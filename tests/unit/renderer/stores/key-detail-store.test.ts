import { describe, expect, it } from 'vitest';
import type { KeyMetadata } from '../../../../shared/contract';
import { useKeyDetailStore, type KeyAlias, type KeyTag, type KeyVersion } from '../../../../renderer/src/stores/key-detail';
import { fakeHost, stub } from '../support/fake-host';

function keyHost(keys: Record<string, Partial<KeyMetadata>>) {
  return fakeHost({
    DescribeKey: (input) => {
      const fields = keys[input.KeyId];
      if (!fields) throw new Error(`no key ${input.KeyId}`);
      return { KeyMetadata: stub<KeyMetadata>({ KeyId: input.KeyId, ...fields }) };
    },
    GetPublicKey: (input) => ({ KeyId: input.KeyId, KeyVersionId: 'v1', PublicKey: `PEM-${input.KeyId}` }),
    ListKeyVersions: (input) => ({ KeyVersions: [stub<KeyVersion>({ KeyVersionId: `${input.KeyId}-v1` })], TotalCount: 1, PageNumber: 1, PageSize: 100 }),
    ListAliasesByKeyId: (input) => ({ Aliases: [stub<KeyAlias>({ AliasName: `alias/${input.KeyId}` })], TotalCount: 1, PageNumber: 1, PageSize: 100 }),
    ListResourceTags: (input) => ({ Tags: [stub<KeyTag>({ TagKey: 'owner', TagValue: input.KeyId })] }),
  });
}

describe('the key detail store', () => {
  it('reads the public key only of an asymmetric key that has material', async () => {
    const host = keyHost({
      sym: { KeySpec: 'Aliyun_AES_256', PrimaryKeyVersion: 'v1' },
      rsa: { KeySpec: 'RSA_2048', PrimaryKeyVersion: 'v1' },
      pending: { KeySpec: 'EC_P256', PrimaryKeyVersion: '' },
    });
    const detail = useKeyDetailStore();
    await detail.load('sym');
    expect(detail.publicKeyPem).toBeNull();
    await detail.load('pending');
    expect(detail.metadata?.KeyId).toBe('pending');
    expect(detail.publicKeyPem).toBeNull();
    await detail.load('rsa');
    expect(detail.publicKeyPem).toBe('PEM-rsa');
    expect(detail.loading).toBe(false);
    expect(host.inputsOf('GetPublicKey')).toEqual([{ KeyId: 'rsa' }]);
  });

  it('keeps the tabs on a refresh of the same key and clears them when another key opens', async () => {
    const host = keyHost({ a: { KeySpec: 'Aliyun_AES_256' }, b: { KeySpec: 'Aliyun_AES_256' } });
    const detail = useKeyDetailStore();
    await detail.load('a');
    await Promise.all([detail.loadVersions(), detail.loadAliases(), detail.loadTags()]);
    expect(host.inputsOf('ListKeyVersions')).toEqual([{ KeyId: 'a', PageNumber: 1, PageSize: 100 }]);
    expect(host.inputsOf('ListAliasesByKeyId')).toEqual([{ KeyId: 'a', PageNumber: 1, PageSize: 100 }]);
    expect(host.inputsOf('ListResourceTags')).toEqual([{ KeyId: 'a' }]);
    await detail.refresh();
    expect(host.inputsOf('DescribeKey')).toEqual([{ KeyId: 'a' }, { KeyId: 'a' }]);
    expect(detail.versions.map((version) => version.KeyVersionId)).toEqual(['a-v1']);
    expect(detail.aliases.map((alias) => alias.AliasName)).toEqual(['alias/a']);
    expect(detail.tags).toEqual([{ TagKey: 'owner', TagValue: 'a' }]);

    await detail.load('b');
    expect(detail.metadata?.KeyId).toBe('b');
    expect(detail.versions).toEqual([]);
    expect(detail.aliases).toEqual([]);
    expect(detail.tags).toEqual([]);
  });

  it('drops an answer for a key that is no longer the one shown', async () => {
    let releaseSlow: () => void = () => {};
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
    fakeHost({
      DescribeKey: async (input) => {
        if (input.KeyId === 'slow') await slow;
        return { KeyMetadata: stub<KeyMetadata>({ KeyId: input.KeyId, KeySpec: 'Aliyun_AES_256' }) };
      },
    });
    const detail = useKeyDetailStore();
    const first = detail.load('slow');
    await detail.load('fast');
    releaseSlow();
    await first;
    expect(detail.metadata?.KeyId).toBe('fast');
    expect(detail.loading).toBe(false);
  });

  it('propagates a refused DescribeKey, ends loading and shows no metadata of the previous key', async () => {
    keyHost({ a: { KeySpec: 'Aliyun_AES_256' } });
    const detail = useKeyDetailStore();
    await detail.load('a');
    await expect(detail.load('missing')).rejects.toThrow('no key missing');
    expect(detail.metadata).toBeNull();
    expect(detail.loading).toBe(false);
  });
});
