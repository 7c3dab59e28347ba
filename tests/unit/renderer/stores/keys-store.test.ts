import { describe, expect, it } from 'vitest';
import type { KeyListEntry, KeyMetadata, OperationInput } from '../../../../shared/contract';
import { KEY_PAGE_SIZE, useKeysStore } from '../../../../renderer/src/stores/keys';
import { useProgressStore } from '../../../../renderer/src/stores/progress';
import { emptyKeyFilters } from '../../../../renderer/src/lib/key-filters';
import { fakeHost, pageOf, stub } from '../support/fake-host';

/** ListKeys over `count` keys named key-<index>, the Text filter (if any) prefixing the names. */
function listKeys(count: number) {
  return (input: OperationInput<'ListKeys'>) => {
    const text = input.Filters?.find((filter) => filter.Key === 'Text')?.Values[0] ?? 'key';
    const { rows, ...page } = pageOf(input, count, (index) => stub<KeyListEntry>({ KeyId: `${text}-${index}` }));
    return { Keys: rows, ...page };
  };
}

describe('the keys store', () => {
  it('reads the first page, then the pages scrolled into view, at the largest page size', async () => {
    const host = fakeHost({ ListKeys: listKeys(250) });
    const keys = useKeysStore();
    await keys.reload();
    expect(host.inputsOf('ListKeys')).toEqual([{ PageNumber: 1, PageSize: KEY_PAGE_SIZE, Filters: [] }]);
    expect(keys.total).toBe(250);
    expect(keys.loaded).toBe(true);
    expect(keys.rowAt(0)?.KeyId).toBe('key-0');
    expect(keys.rowAt(150)).toBeUndefined();

    await keys.ensureRange({ first: 150, last: 249 });
    expect(host.inputsOf('ListKeys').slice(1)).toEqual([
      { PageNumber: 2, PageSize: KEY_PAGE_SIZE, Filters: [] },
      { PageNumber: 3, PageSize: KEY_PAGE_SIZE, Filters: [] },
    ]);
    expect(keys.rowAt(249)?.KeyId).toBe('key-249');
  });

  it('starts over from page 1 with the filters as ListKeys takes them', async () => {
    const host = fakeHost({ ListKeys: listKeys(250) });
    const keys = useKeysStore();
    await keys.reload();
    await keys.applyFilters({ ...emptyKeyFilters(), text: '  payments ', states: ['Enabled', 'Disabled'], protectionLevels: ['HSM'] });
    expect(host.inputsOf('ListKeys').at(-1)).toEqual({
      PageNumber: 1,
      PageSize: KEY_PAGE_SIZE,
      Filters: [
        { Key: 'Text', Values: ['payments'] },
        { Key: 'KeyState', Values: ['Enabled', 'Disabled'] },
        { Key: 'ProtectionLevel', Values: ['HSM'] },
      ],
    });
    expect(keys.rowAt(0)?.KeyId).toBe('payments-0');
  });

  it('creates a key and drops its progress whether CreateKey succeeds or fails', async () => {
    let fail = false;
    const host = fakeHost({
      CreateKey: (input) => {
        if (fail) throw new Error('HSM full');
        return { KeyMetadata: stub<KeyMetadata>({ KeyId: 'k-new', Description: input.Description ?? '' }) };
      },
    });
    const progress = useProgressStore();
    progress.start();
    const keys = useKeysStore();

    host.progress({ requestId: 'r', operation: 'CreateKey', fraction: 0.5, message: 'generating' });
    expect(progress.of('CreateKey')?.fraction).toBe(0.5);
    const created = await keys.create({ KeySpec: 'Aliyun_AES_256', Description: 'payments', Alias: 'alias/payments' });
    expect(created.KeyId).toBe('k-new');
    expect(host.inputsOf('CreateKey')).toEqual([{ KeySpec: 'Aliyun_AES_256', Description: 'payments', Alias: 'alias/payments' }]);
    expect(progress.of('CreateKey')).toBeNull();

    fail = true;
    host.progress({ requestId: 'r2', operation: 'CreateKey', fraction: 0.1, message: 'generating' });
    await expect(keys.create({ KeySpec: 'Aliyun_AES_256' })).rejects.toThrow('HSM full');
    expect(progress.of('CreateKey')).toBeNull();
  });
});
