import { describe, expect, it } from 'vitest';
import { accessNameSchema, policyResourceSchema } from '../../../shared/contract';
import {
  accessNameProblem,
  clientKeyFileName,
  clientKeyFileText,
  clientKeyPasswordProblems,
  endpointAddressProblem,
  endpointUrl,
  formatFingerprint,
  parseSourceAddresses,
  resourceProblem,
} from '../../../renderer/src/lib/access-forms';
import { countOf } from '../../../renderer/src/lib/format';

describe('the access point forms judge what the officer typed as the contract does', () => {
  it('names', () => {
    for (const name of ['payments-app', 'a_b', 'x'.repeat(64), 'x'.repeat(65), 'has space', 'ü']) {
      expect(accessNameProblem(name) === '', name).toBe(accessNameSchema.safeParse(name).success);
    }
    expect(accessNameProblem('')).toBe('');
  });

  it('policy resources', () => {
    for (const resource of ['key/*', 'key/1234abcd-12ab-34cd-56ef-1234567890ab', 'alias/payments', 'secret/*', 'secret/prod/db', 'keys/*', 'key/', 'alias/', '*']) {
      expect(resourceProblem(resource) === '', resource).toBe(policyResourceSchema.safeParse(resource).success);
    }
    expect(resourceProblem('keys/*')).toContain('key/*, key/<KeyId>, alias/<name>, secret/*, secret/<name>');
  });

  it('source addresses one per line: blank lines and repeats dropped, each bad line named', () => {
    expect(parseSourceAddresses(' 127.0.0.1\n\n10.0.0.0/24\r\n127.0.0.1\nfd00::/8\n')).toEqual({
      addresses: ['127.0.0.1', '10.0.0.0/24', 'fd00::/8'],
      problems: [],
    });
    const parsed = parseSourceAddresses('127.0.0.1\n300.1.1.1\n10.0.0.0/33\nlocalhost');
    expect(parsed.addresses).toEqual(['127.0.0.1']);
    expect(parsed.problems).toHaveLength(3);
    expect(parsed.problems[0]).toMatch(/^Line 2: "300\.1\.1\.1"/);
    expect(parsed.problems[2]).toMatch(/^Line 4: "localhost"/);
  });

  it('too many addresses', () => {
    const lines = Array.from({ length: 801 }, (_, i) => `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`).join('\n');
    expect(parseSourceAddresses(lines).problems).toEqual(['At most 800 addresses per rule.']);
  });

  it('client key passwords: 8-64 printable characters, each problem said once', () => {
    expect(clientKeyPasswordProblems('Client-Pass-1')).toEqual([]);
    expect(clientKeyPasswordProblems('short')).toEqual(['must be 8-64 characters']);
    expect(clientKeyPasswordProblems('has a space')).toEqual(['must be printable ASCII without spaces']);
    expect(clientKeyPasswordProblems('x'.repeat(65))).toEqual(['must be 8-64 characters']);
  });
});

describe('the client key file and fingerprints', () => {
  it('is the JSON applications load: KeyId and PrivateKeyData only', () => {
    const text = clientKeyFileText('KAAP.0f6a3c2e-0000-4000-8000-000000000001', 'MIIK...');
    expect(JSON.parse(text)).toEqual({ KeyId: 'KAAP.0f6a3c2e-0000-4000-8000-000000000001', PrivateKeyData: 'MIIK...' });
    expect(clientKeyFileName('KAAP.x')).toBe('clientKey_KAAP.x.json');
  });

  it('shows SHA-256 fingerprints as colon-separated byte pairs', () => {
    expect(formatFingerprint('0a1bff')).toBe('0A:1B:FF');
    expect(formatFingerprint('')).toBe('');
    expect(formatFingerprint('not-hex')).toBe('not-hex');
  });
});

describe('the endpoint address', () => {
  it('is an IP address, as StartApplicationEndpoint takes it', () => {
    expect(endpointAddressProblem('127.0.0.1')).toBe('');
    expect(endpointAddressProblem('::1')).toBe('');
    expect(endpointAddressProblem('localhost')).not.toBe('');
    expect(endpointAddressProblem('10.0.0.0/8')).not.toBe('');
    expect(endpointAddressProblem('')).not.toBe('');
  });

  it('makes the URL applications call, IPv6 in brackets', () => {
    expect(endpointUrl('127.0.0.1', 8443)).toBe('https://127.0.0.1:8443');
    expect(endpointUrl('::1', 8443)).toBe('https://[::1]:8443');
  });
});

describe('countOf with a plural of its own', () => {
  it('says "policies", not "policys"', () => {
    expect(countOf(1, 'policy', 'policies')).toBe('1 policy');
    expect(countOf(2, 'policy', 'policies')).toBe('2 policies');
    expect(countOf(2, 'key')).toBe('2 keys');
  });
});
