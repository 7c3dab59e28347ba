import { describe, expect, it } from 'vitest';
import { isReservedAlias, keyChoiceOptions, type KeyChoice } from '../../../renderer/src/lib/alias-list';
import { DEFAULT_SECRETS_KEY_ALIAS } from '../../../shared/contract';

const key = (KeyId: string, extra: Partial<KeyChoice> = {}): KeyChoice => ({
  KeyId,
  KeySpec: 'Aliyun_AES_256',
  KeyState: 'Enabled',
  Description: '',
  Aliases: [],
  ...extra,
});

describe('alias list', () => {
  it("marks Keyward's own aliases reserved, and only those", () => {
    expect(isReservedAlias(DEFAULT_SECRETS_KEY_ALIAS)).toBe(true);
    expect(isReservedAlias('alias/keyward-app')).toBe(false);
    expect(isReservedAlias('alias/app/keyward/x')).toBe(false);
  });

  it('offers every key but the current one, labelled by id then what tells keys apart', () => {
    const options = keyChoiceOptions(
      [key('key-a'), key('key-b', { Description: 'payments', Aliases: ['alias/one', 'alias/two', 'alias/three'] })],
      'key-a',
    );
    expect(options).toEqual([{ label: 'key-b · Aliyun_AES_256 · Enabled · alias/one · alias/two · payments', value: 'key-b' }]);
  });
});
