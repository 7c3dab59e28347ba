import { describe, expect, it } from 'vitest';
import { aliasNameSchema } from '../../../shared/contract';
import { aliasNameProblem, fullAliasName } from '../../../renderer/src/lib/alias-name';

describe('the create dialog\'s alias name (typed after a fixed alias/ prefix)', () => {
  it('adds the prefix once, and keeps a pasted full name as it is', () => {
    expect(fullAliasName('payments')).toBe('alias/payments');
    expect(fullAliasName('  team/payments ')).toBe('alias/team/payments');
    expect(fullAliasName('alias/payments')).toBe('alias/payments');
  });

  it('judges names exactly as the contract does', () => {
    for (const name of ['alias/payments', 'alias/a_b-c/d', 'alias/has space', 'alias/', 'alias/ü', `alias/${'x'.repeat(249)}`, `alias/${'x'.repeat(250)}`]) {
      expect(aliasNameProblem(name) === '', name).toBe(aliasNameSchema.safeParse(name).success);
    }
    expect(aliasNameProblem('alias/has space')).toMatch(/letters, digits/);
  });
});
