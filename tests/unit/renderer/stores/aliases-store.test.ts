import { describe, expect, it } from 'vitest';
import type { KeyListEntry, OperationResult } from '../../../../shared/contract';
import { KmsClientError } from '../../../../renderer/src/api/errors';
import { useAliasesStore, type Alias } from '../../../../renderer/src/stores/aliases';
import { fakeHost, pageOf, stub } from '../support/fake-host';

function aliasesHost(count: number) {
  const names = Array.from({ length: count }, (_, index) => `alias/a-${index}`);
  return fakeHost({
    ListAliases: (input) => {
      const { rows, ...page } = pageOf(input, names.length, (index) => stub<Alias>({ AliasName: names[index] }));
      return { Aliases: rows, ...page };
    },
    UpdateAlias: (input) => stub<OperationResult<'UpdateAlias'>>({ AliasName: input.AliasName, KeyId: input.KeyId }),
    DeleteAlias: (input) => {
      if (!names.includes(input.AliasName)) throw new KmsClientError('NotFound.Alias', `no alias ${input.AliasName}`);
      names.splice(names.indexOf(input.AliasName), 1);
      return { AliasName: input.AliasName };
    },
    ListKeys: (input) => ({ Keys: [stub<KeyListEntry>({ KeyId: 'k1' })], TotalCount: 1, PageNumber: input.PageNumber ?? 1, PageSize: input.PageSize ?? 20 }),
  });
}

describe('the aliases store', () => {
  it('pages ListAliases, going back to page 1 when the page size changes', async () => {
    const host = aliasesHost(120);
    const aliases = useAliasesStore();
    await aliases.load();
    await aliases.goTo(3);
    expect(aliases.aliases.map((alias) => alias.AliasName)).toEqual(Array.from({ length: 20 }, (_, index) => `alias/a-${100 + index}`));
    await aliases.goTo(3, 20);
    expect(host.inputsOf('ListAliases')).toEqual([
      { PageNumber: 1, PageSize: 50 },
      { PageNumber: 3, PageSize: 50 },
      { PageNumber: 1, PageSize: 20 },
    ]);
    expect(aliases.page).toBe(1);
    expect(aliases.total).toBe(120);
  });

  it('moves and deletes aliases and reloads the page, keeping it when the host refuses', async () => {
    const host = aliasesHost(3);
    const aliases = useAliasesStore();
    await aliases.update('alias/a-0', 'k2');
    await aliases.remove('alias/a-1');
    expect(host.inputsOf('UpdateAlias')).toEqual([{ AliasName: 'alias/a-0', KeyId: 'k2' }]);
    expect(aliases.total).toBe(2);
    expect(aliases.aliases.map((alias) => alias.AliasName)).toEqual(['alias/a-0', 'alias/a-2']);
    await expect(aliases.remove('alias/missing')).rejects.toMatchObject({ Code: 'NotFound.Alias' });
    expect(aliases.total).toBe(2);
    expect(host.operations().at(-1)).toBe('DeleteAlias');
  });

  it('reports a move or a deletion that went through as done when the page cannot be re-read', async () => {
    const host = aliasesHost(3);
    const aliases = useAliasesStore();
    await aliases.load();
    host.fail('ListAliases', new KmsClientError('InternalFailure', 'registry unavailable'));
    await expect(aliases.update('alias/a-0', 'k2')).resolves.toBeUndefined();
    await expect(aliases.remove('alias/a-1')).resolves.toBeUndefined();
    expect(host.inputsOf('DeleteAlias')).toEqual([{ AliasName: 'alias/a-1' }]);
    // The page keeps the rows it had until a read succeeds.
    expect(aliases.total).toBe(3);
  });

  it('searches keys by the trimmed text, at most 20 of them, and sends no filter for blank text', async () => {
    const host = aliasesHost(0);
    const aliases = useAliasesStore();
    expect((await aliases.searchKeys('  pay ')).map((key) => key.KeyId)).toEqual(['k1']);
    await aliases.searchKeys('   ');
    expect(host.inputsOf('ListKeys')).toEqual([
      { PageNumber: 1, PageSize: 20, Filters: [{ Key: 'Text', Values: ['pay'] }] },
      { PageNumber: 1, PageSize: 20, Filters: [] },
    ]);
  });
});
