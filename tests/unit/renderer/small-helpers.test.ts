import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../renderer/src/lib/backoff';
import { formatUtc, orDash } from '../../../renderer/src/lib/format';
import { emptyKeyFilters, hasFilters, toListFilters } from '../../../renderer/src/lib/key-filters';
import { passwordProblems } from '../../../renderer/src/lib/password-policy';

describe('backoffDelay', () => {
  it('doubles from 250 ms up to the cap, with bounded jitter', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect(backoffDelay(30, () => 0)).toBe(10_000);
    expect(backoffDelay(0, () => 1)).toBe(300);
  });
});

describe('passwordProblems', () => {
  it('accepts the policy and explains each violation in the contract words', () => {
    expect(passwordProblems('Ceremony2024')).toEqual([]);
    expect(passwordProblems('abc1')).toEqual(['must be 8-64 characters']);
    expect(passwordProblems('onlyletters')).toEqual(['must contain a digit']);
    expect(passwordProblems('12345678')).toEqual(['must contain a letter']);
    expect(passwordProblems('with space 123')).toEqual(['must be printable ASCII without spaces']);
  });
});

describe('toListFilters', () => {
  it('leaves out empty filters and trims the search text', () => {
    expect(toListFilters({ ...emptyKeyFilters(), text: '  ' })).toEqual([]);
    expect(hasFilters({ ...emptyKeyFilters(), text: '  ' })).toBe(false);
    expect(toListFilters({ ...emptyKeyFilters(), text: ' alias/x ', states: ['Enabled'], specs: ['EC_P256', 'RSA_2048'] })).toEqual([
      { Key: 'Text', Values: ['alias/x'] },
      { Key: 'KeyState', Values: ['Enabled'] },
      { Key: 'KeySpec', Values: ['EC_P256', 'RSA_2048'] },
    ]);
  });

  it('maps usage, protection level and key store to their ListKeys filter names', () => {
    const filters = { ...emptyKeyFilters(), usages: ['SIGN/VERIFY' as const], protectionLevels: ['HSM' as const], keyStoreIds: ['ks-1'] };
    expect(hasFilters(filters)).toBe(true);
    expect(toListFilters(filters)).toEqual([
      { Key: 'KeyUsage', Values: ['SIGN/VERIFY'] },
      { Key: 'ProtectionLevel', Values: ['HSM'] },
      { Key: 'KeyStoreId', Values: ['ks-1'] },
    ]);
  });
});

describe('format', () => {
  it('shows UTC to the second, and a dash for absent values', () => {
    expect(formatUtc('2019-07-04T13:14:15.123Z')).toBe('2019-07-04 13:14:15 UTC');
    expect(formatUtc('')).toBe('—');
    expect(formatUtc('garbage')).toBe('garbage');
    expect(orDash('')).toBe('—');
    expect(orDash('x')).toBe('x');
  });
});
