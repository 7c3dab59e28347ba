import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { xksUriPathSchema } from '../../../../shared/contract';
import {
  ACCESS_KEY_ID_PATTERN,
  base32,
  newAccessKeyId,
  newSecretAccessKey,
  SECRET_ACCESS_KEY_PATTERN,
} from '../../../../electron/main/services/xks/xks-credentials';
import { isXksPath, matchXksPath, uriPathsOverlap } from '../../../../electron/main/services/xks/xks-paths';
import {
  ciphertextDataIntegrityValue,
  decodeCiphertextMetadata,
  encodeCiphertextMetadata,
  hsmAdditionalData,
} from '../../../../electron/main/services/xks/xks-ciphertext';

describe('XKS credential formats (spec Appendix A)', () => {
  it('encodes base32 as RFC 4648 does (test vectors, no padding)', () => {
    expect(base32(Buffer.from('f'))).toBe('MY');
    expect(base32(Buffer.from('fo'))).toBe('MZXQ');
    expect(base32(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
  });

  it('makes 20-character A-Z2-7 access key ids and 43-character Base64 secrets AWS KMS accepts', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 200; i += 1) {
      const id = newAccessKeyId();
      expect(id).toMatch(ACCESS_KEY_ID_PATTERN);
      expect(id).toHaveLength(20);
      ids.add(id);
      const secret = newSecretAccessKey().toString('ascii');
      expect(secret).toHaveLength(43);
      expect(secret).toMatch(SECRET_ACCESS_KEY_PATTERN);
      expect(secret).not.toMatch(/[-_]/);
    }
    expect(ids.size).toBe(200);
  });
});

describe('XKS URI paths', () => {
  it('validates UriPath like XksProxyUriPath (characters, segments, total length with /kms/xks/v1)', () => {
    for (const good of ['/a', '/keystores/4a0d79d6-1d1b-49fd-9dbe-799cb9c0fb3f', '/x_y/Z-9', `/${'a'.repeat(116)}`]) {
      expect(xksUriPathSchema.safeParse(good).success, good).toBe(true);
    }
    for (const bad of ['', 'a', '/', '/a/', '//a', '/a//b', '/a b', '/a.b', '/a?b', `/${'a'.repeat(117)}`]) {
      expect(xksUriPathSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('finds overlapping paths by whole segments only', () => {
    expect(uriPathsOverlap('/a', '/a')).toBe(true);
    expect(uriPathsOverlap('/a', '/a/b')).toBe(true);
    expect(uriPathsOverlap('/a/b/c', '/a/b')).toBe(true);
    expect(uriPathsOverlap('/a', '/ab')).toBe(false);
    expect(uriPathsOverlap('/a/b', '/a/c')).toBe(false);
  });

  it('routes a request path to its proxy and API URI', () => {
    const proxies = [{ uriPath: '/ab' }, { uriPath: '/a' }];
    expect(matchXksPath('/a/kms/xks/v1/health', proxies)).toEqual({ proxy: proxies[1], route: { kind: 'health' } });
    expect(matchXksPath('/ab/kms/xks/v1/keys/my_key.1/encrypt', proxies)).toEqual({
      proxy: proxies[0],
      route: { kind: 'key', xksKeyId: 'my_key.1', action: 'encrypt' },
    });
    expect(matchXksPath('/a/kms/xks/v1/keys/k/sign', proxies)?.route).toBeNull();
    expect(matchXksPath('/a/kms/xks/v1/keys/alias%2Fk/metadata', proxies)?.route).toBeNull();
    expect(matchXksPath(`/a/kms/xks/v1/keys/${'k'.repeat(129)}/metadata`, proxies)?.route).toBeNull();
    expect(matchXksPath('/a/kms/xks/v1/keys/k/metadata/extra', proxies)?.route).toBeNull();
    expect(matchXksPath('/abc/kms/xks/v1/health', proxies)).toBeNull();
    expect(matchXksPath('/a/b/kms/xks/v1/health', proxies)).toBeNull();
    expect(isXksPath('/abc/kms/xks/v1/health')).toBe(true);
    expect(isXksPath('/v1/Encrypt')).toBe(false);
  });
});

describe('XKS ciphertext layouts', () => {
  it('computes the spec’s Appendix C ciphertextDataIntegrityValue example', () => {
    const value = ciphertextDataIntegrityValue({
      aad: Buffer.from('project=nile,department=marketing'),
      ciphertextMetadata: Buffer.from('key_version=1'),
      iv: Buffer.from('HMrlRw85cAJUd5Ax', 'base64'),
      ciphertext: Buffer.from('ghxkK1txeDNn3q8Y', 'base64'),
      tag: Buffer.from('vBxN2ncH1oEkR8WVXpmyYQ==', 'base64'),
    });
    expect(value.toString('hex')).toBe('a8703f2260bd8791ec2d15ea0b23e65a0631eedcf2a13a65cc82db3f47cf5ec7');
    expect(value.toString('base64')).toBe('qHA/ImC9h5HsLRXqCyPmWgYx7tzyoTplzILbP0fPXsc=');
  });

  it('leaves absent AAD and metadata out of the integrity value', () => {
    const parts = { iv: Buffer.alloc(12, 1), ciphertext: Buffer.from('ct'), tag: Buffer.alloc(16, 2) };
    const expected = createHash('sha256').update(Buffer.concat([parts.iv, parts.ciphertext, parts.tag])).digest();
    expect(ciphertextDataIntegrityValue({ aad: null, ciphertextMetadata: null, ...parts })).toEqual(expected);
  });

  it('lays the HSM AAD out as 2-byte AAD length || AAD || 1-byte metadata length || metadata', () => {
    expect(hsmAdditionalData(Buffer.from('ab'), Buffer.from('xyz')).toString('hex')).toBe('0002' + '6162' + '03' + '78797a');
    expect(hsmAdditionalData(null, null).toString('hex')).toBe('000000');
    // Metadata passed as AAD (and no metadata) must not give the same bytes as the original call.
    expect(hsmAdditionalData(null, Buffer.from('m'))).not.toEqual(hsmAdditionalData(Buffer.from('m'), null));
  });

  it('names the key version in a 17-byte ciphertextMetadata', () => {
    const versionId = '0f8e2b1c-5a4d-4c3b-9a8f-7e6d5c4b3a21';
    const metadata = encodeCiphertextMetadata(versionId);
    expect(metadata).toHaveLength(17);
    expect(decodeCiphertextMetadata(metadata)).toBe(versionId);
    expect(decodeCiphertextMetadata(Buffer.concat([Buffer.from([2]), metadata.subarray(1)]))).toBeNull();
    expect(decodeCiphertextMetadata(metadata.subarray(0, 16))).toBeNull();
  });
});
