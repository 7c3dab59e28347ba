import { describe, expect, it } from 'vitest';
import { accessNameSchema, accessPointOperations, policyResourceSchema } from '../../../shared/contract';
import {
  accessNameProblem,
  clientKeyFileName,
  clientKeyFileText,
  clientKeyPasswordProblems,
  clientKeyValidity,
  deletionInUseText,
  endpointAddressProblem,
  endpointUrl,
  formatFingerprint,
  parseSourceAddresses,
  pickedAsUtc,
  resourceProblem,
} from '../../../renderer/src/lib/access-forms';

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

const createClientKeyInput = accessPointOperations.CreateClientKey.input;

describe('the validity of a new client key', () => {
  const NOW = Date.parse('2026-12-06T12:00:00Z');
  // What a picker holds when it shows this wall time in the test's time zone.
  const shows = (wallTime: string) => new Date(wallTime).getTime();

  it('left empty: nothing is sent, so CreateClientKey applies its defaults (now, five years)', () => {
    expect(clientKeyValidity(null, null, NOW)).toEqual({
      request: {},
      problem: '',
      notes: { notBefore: 'Empty: from the moment it is created.', notAfter: 'Empty: 5 years after Not before.' },
    });
  });

  it('sends the picked times as the contract takes them: UTC, whole seconds, no fraction', () => {
    const validity = clientKeyValidity(shows('2026-12-01T08:30:15.750'), shows('2027-12-01T08:30:15.999'), NOW);
    expect(validity.request).toEqual({ NotBefore: '2026-12-01T08:30:15Z', NotAfter: '2027-12-01T08:30:15Z' });
    expect(createClientKeyInput.safeParse({ AapName: 'app', Password: 'Client-Pass-1', ...validity.request }).success).toBe(true);
    expect(validity.problem).toBe('');
    expect(validity.notes).toEqual({ notBefore: '', notAfter: 'Valid for 365 days.' });
  });

  it('either one alone; the length counts from now when Not before is empty', () => {
    expect(clientKeyValidity(shows('2027-01-01T00:00:00'), null, NOW).request).toEqual({ NotBefore: '2027-01-01T00:00:00Z' });
    expect(clientKeyValidity(null, shows('2026-12-16T12:00:00'), NOW)).toMatchObject({
      request: { NotAfter: '2026-12-16T12:00:00Z' },
      problem: '',
      notes: { notAfter: 'Valid for 10 days.' },
    });
    expect(clientKeyValidity(null, shows('2026-12-07T11:00:00'), NOW).notes.notAfter).toBe('Valid for less than a day.');
  });

  it('refuses Not after that is not later than Not before, to the second the certificate holds', () => {
    expect(clientKeyValidity(shows('2027-06-01T00:00:00'), shows('2027-01-01T00:00:00'), NOW).problem).toBe('Not after must be later than Not before.');
    expect(clientKeyValidity(shows('2027-06-01T00:00:00'), shows('2027-06-01T00:00:00.900'), NOW).problem).toBe('Not after must be later than Not before.');
    expect(clientKeyValidity(shows('2027-06-01T00:00:00'), shows('2027-06-01T00:00:01'), NOW).problem).toBe('');
  });

  it('refuses Not after in the past: such a key could never connect', () => {
    const passed = 'Not after has passed: the client key would never be valid.';
    expect(clientKeyValidity(null, shows('2026-12-06T11:59:59'), NOW).problem).toBe(passed);
    expect(clientKeyValidity(shows('2025-01-01T00:00:00'), shows('2026-01-01T00:00:00'), NOW).problem).toBe(passed);
  });

  it('reads what the picker shows as UTC, whatever the browser\'s time zone (Keyward shows every time in UTC)', () => {
    const zone = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
        process.env.TZ = tz;
        const picked = shows('2027-03-01T09:15:00');
        expect(pickedAsUtc(picked), tz).toBe(Date.parse('2027-03-01T09:15:00Z'));
        expect(clientKeyValidity(picked, null, NOW).request, tz).toEqual({ NotBefore: '2027-03-01T09:15:00Z' });
      }
      process.env.TZ = 'America/New_York';
      expect(new Date(shows('2027-03-01T09:15:00')).toISOString()).toBe('2027-03-01T14:15:00.000Z');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describe('the confirmation of a rule or policy deletion', () => {
  it('names what uses it, or says nothing does', () => {
    expect(deletionInUseText(['a', 'b'], 'policies')).toBe('Policies a, b use it: remove it from them first (the deletion will be refused).');
    expect(deletionInUseText([], 'accessPoints')).toBe('No access point uses it. It cannot be restored.');
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
