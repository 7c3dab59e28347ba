import { describe, expect, it } from 'vitest';
import { cmkLabel, describeValue, secretPath, valueFileName } from '../../../renderer/src/lib/secret-display';
import { emptySecretFilters, hasSecretFilters, toSecretListFilters } from '../../../renderer/src/lib/secret-filters';

describe('the secret list and display helpers', () => {
  it('sends only the filters that are set', () => {
    expect(toSecretListFilters(emptySecretFilters())).toEqual([]);
    expect(hasSecretFilters(emptySecretFilters())).toBe(false);
    expect(toSecretListFilters({ namePrefix: ' prod/ ', states: ['PendingDeletion'], tag: 'team=ops' })).toEqual([
      { Key: 'NamePrefix', Values: ['prod/'] },
      { Key: 'SecretState', Values: ['PendingDeletion'] },
      { Key: 'Tag', Values: ['team=ops'] },
    ]);
  });

  it('keeps a name with / in one path segment and in a safe file name', () => {
    expect(secretPath('prod/db+x=1@a')).toBe('/secrets/prod%2Fdb%2Bx%3D1%40a');
    expect(valueFileName('prod/ssh key', 'v2')).toBe('prod_ssh_key-v2.bin');
    expect(cmkLabel('key-1', ['alias/a', 'alias/b'])).toBe('alias/a (key-1)');
    expect(cmkLabel('key-1', undefined)).toBe('key-1');
  });

  it('shows JSON objects and text as text, binary by size', () => {
    expect(describeValue('{"a":"b"}', 'text')).toEqual({ kind: 'text', text: '{"a":"b"}', bytes: 9, json: true });
    expect(describeValue('[1]', 'text')).toMatchObject({ json: false });
    const binary = describeValue('AQID', 'binary');
    expect(binary.kind).toBe('binary');
    if (binary.kind === 'binary') expect([...binary.bytes]).toEqual([1, 2, 3]);
  });
});
