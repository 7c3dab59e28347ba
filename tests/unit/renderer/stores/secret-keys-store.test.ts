import { describe, expect, it } from 'vitest';
import type { KeyListEntry } from '../../../../shared/contract';
import { KmsClientError } from '../../../../renderer/src/api/errors';
import type { KeyAlias } from '../../../../renderer/src/stores/key-detail';
import { useSecretKeysStore } from '../../../../renderer/src/stores/secret-keys';
import { fakeHost, stub } from '../support/fake-host';

const CMK_FILTERS = [
  { Key: 'KeyState', Values: ['Enabled'] },
  { Key: 'KeyUsage', Values: ['ENCRYPT/DECRYPT'] },
  { Key: 'KeySpec', Values: ['Aliyun_AES_256', 'Aliyun_AES_192', 'Aliyun_AES_128'] },
];

function keysHost() {
  return fakeHost({
    ListAliasesByKeyId: (input) => {
      if (input.KeyId === 'gone') throw new KmsClientError('NotFound.Key', 'no such key');
      return { Aliases: [stub<KeyAlias>({ AliasName: `alias/${input.KeyId}` })], TotalCount: 1, PageNumber: 1, PageSize: 100 };
    },
    ListKeys: () => ({ Keys: [stub<KeyListEntry>({ KeyId: 'cmk-1', Aliases: ['alias/payments'] })], TotalCount: 1, PageNumber: 1, PageSize: 50 }),
  });
}

describe('the secret keys store', () => {
  it('reads the aliases of each key once, showing a key it cannot read by its id alone', async () => {
    const host = keysHost();
    const store = useSecretKeysStore();
    await store.ensureAliases(['k1', 'k1', '', 'gone']);
    await store.ensureAliases(['k1', 'k2']);
    expect(host.inputsOf('ListAliasesByKeyId')).toEqual([
      { KeyId: 'k1', PageNumber: 1, PageSize: 100 },
      { KeyId: 'gone', PageNumber: 1, PageSize: 100 },
      { KeyId: 'k2', PageNumber: 1, PageSize: 100 },
    ]);
    expect(store.aliases).toEqual({ k1: ['alias/k1'], gone: [], k2: ['alias/k2'] });

    store.forget();
    expect(store.aliases).toEqual({});
    await store.ensureAliases(['k1']);
    expect(host.inputsOf('ListAliasesByKeyId')).toHaveLength(4);
  });

  it('offers only enabled symmetric encryption keys, narrowed by the trimmed text, and remembers their aliases', async () => {
    const host = keysHost();
    const store = useSecretKeysStore();
    expect((await store.searchCmks('  pay ')).map((key) => key.KeyId)).toEqual(['cmk-1']);
    await store.searchCmks('');
    expect(host.inputsOf('ListKeys')).toEqual([
      { PageNumber: 1, PageSize: 50, Filters: [...CMK_FILTERS, { Key: 'Text', Values: ['pay'] }] },
      { PageNumber: 1, PageSize: 50, Filters: CMK_FILTERS },
    ]);
    expect(store.aliases).toEqual({ 'cmk-1': ['alias/payments'] });
    await store.ensureAliases(['cmk-1']);
    expect(host.operations()).not.toContain('ListAliasesByKeyId');
  });
});
