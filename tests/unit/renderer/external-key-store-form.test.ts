import { describe, expect, it } from 'vitest';
import { clusterOperations } from '../../../shared/contract';
import {
  createExternalStoreInput,
  xksKeyIdProblem,
  xksProxyDraftProblems,
  xksProxyUpdate,
} from '../../../renderer/src/lib/external-key-store-form';

const PEM = `-----BEGIN CERTIFICATE-----\n${'A'.repeat(64)}\n-----END CERTIFICATE-----`;
const ACCESS_KEY_ID = 'ABCDEFGHIJKLMNOPQRST';
const SECRET = 'S'.repeat(43);
const DRAFT = {
  name: 'ext-prod',
  endpoint: 'https://xks.example.internal:8443',
  uriPath: '/prod/kms/xks/v1',
  accessKeyId: ACCESS_KEY_ID,
  secret: SECRET,
  caCertificate: '',
};
const CURRENT = { UriEndpoint: DRAFT.endpoint, UriPath: DRAFT.uriPath, AccessKeyId: ACCESS_KEY_ID, CaCertificate: PEM };

describe('the external key store form judges what the officer typed as the contract does', () => {
  it('a problem exactly where the contract refuses, worded for the officer', () => {
    const cases: [keyof typeof DRAFT, string, boolean][] = [
      ['endpoint', 'https://xks.example', true],
      ['endpoint', 'https://[::1]:8443', true],
      ['endpoint', 'http://xks.example', false],
      ['endpoint', 'https://xks.example/kms', false],
      ['uriPath', '/kms/xks/v1', true],
      ['uriPath', '/a/b-c/kms/xks/v1', true],
      ['uriPath', '/self', false],
      ['uriPath', '/prod/kms/xks/v1/', false],
      ['accessKeyId', ACCESS_KEY_ID, true],
      ['accessKeyId', 'abcdefghijklmnopqrst', false],
      ['secret', SECRET, true],
      ['secret', 'short', false],
      ['caCertificate', PEM, true],
      ['caCertificate', 'not a certificate at all', false],
    ];
    for (const [field, value, accepted] of cases) {
      expect(xksProxyDraftProblems({ ...DRAFT, [field]: value })[field] === '', `${field} ${value}`).toBe(accepted);
    }
    expect(xksProxyDraftProblems({ ...DRAFT, uriPath: '/self' }).uriPath).toBe(
      'The URI path must end with /kms/xks/v1, after an optional prefix of /-separated A-Z a-z 0-9 _ - segments.',
    );
    expect(xksProxyDraftProblems({ ...DRAFT, caCertificate: 'x' }).caCertificate).toBe('The CA certificate must be a PEM certificate.');
  });

  it('builds a CreateKeyStore input the contract accepts, only once every required field is there', () => {
    const input = createExternalStoreInput(DRAFT);
    expect(input).not.toBeNull();
    expect(clusterOperations.CreateKeyStore.input.safeParse(input).success).toBe(true);
    expect(input).not.toHaveProperty('XksProxyCaCertificate');
    const withCa = createExternalStoreInput({ ...DRAFT, caCertificate: PEM });
    expect(withCa?.XksProxyCaCertificate).toBe(PEM);
    expect(clusterOperations.CreateKeyStore.input.safeParse(withCa).success).toBe(true);
    for (const field of ['name', 'endpoint', 'uriPath', 'accessKeyId', 'secret'] as const) {
      expect(createExternalStoreInput({ ...DRAFT, [field]: '' }), field).toBeNull();
    }
    expect(createExternalStoreInput({ ...DRAFT, uriPath: '/self' })).toBeNull();
  });

  it('an edit sends only what changed, and a new access key id only with its secret', () => {
    const unchanged = { ...DRAFT, secret: '', caCertificate: PEM };
    expect(xksProxyUpdate(CURRENT, unchanged)).toEqual({ update: null, problem: '' });
    expect(xksProxyUpdate(CURRENT, { ...unchanged, endpoint: 'https://other:9443' }).update).toEqual({ XksProxyUriEndpoint: 'https://other:9443' });
    expect(xksProxyUpdate(CURRENT, { ...unchanged, secret: SECRET }).update).toEqual({
      XksProxyAuthenticationCredential: { AccessKeyId: ACCESS_KEY_ID, RawSecretAccessKey: SECRET },
    });
    const newId = { ...unchanged, accessKeyId: 'ZYXWVUTSRQPONMLKJIHG' };
    expect(xksProxyUpdate(CURRENT, newId)).toEqual({ update: null, problem: 'A new access key id needs its secret access key.' });
    // An emptied CA field keeps the current certificate: the contract cannot remove one.
    expect(xksProxyUpdate(CURRENT, { ...unchanged, caCertificate: '' }).update).toBeNull();
    const update = xksProxyUpdate(CURRENT, { ...newId, secret: SECRET }).update;
    expect(clusterOperations.UpdateKeyStore.input.safeParse({ KeyStoreId: 'kst-x', ...update }).success).toBe(true);
  });

  it('external key ids: as CreateKey takes them', () => {
    expect(xksKeyIdProblem('')).toBe('');
    expect(xksKeyIdProblem('key-1.a_b')).toBe('');
    expect(xksKeyIdProblem('alias/ext-target')).toBe('The external key id must be 1-128 characters of A-Z a-z 0-9 _ . -.');
  });
});
