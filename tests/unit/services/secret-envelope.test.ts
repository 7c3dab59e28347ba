import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dataKeyContext, decodeSecretData, encodeSecretData, openValue, sealValue, valueAad } from '../../../electron/main/services/secrets/secret-envelope';

const ARN = 'acs:kms:offline-1:1234567890123456:secret/prod/db';

describe('secret envelope (value half)', () => {
  const key = randomBytes(32);
  const value = Buffer.from('hunter2 and more');
  const sealed = sealValue(key, value, valueAad(ARN, 'v1'));

  it('seals as IV || ciphertext || tag and opens with the same key and names', () => {
    expect(sealed).toHaveLength(12 + value.length + 16);
    expect(sealed.includes(value)).toBe(false);
    expect(openValue(key, sealed, valueAad(ARN, 'v1'))).toEqual(value);
    expect(sealValue(key, value, valueAad(ARN, 'v1')).equals(sealed)).toBe(false); // fresh IV
  });

  it('any changed byte, other key, other version or other secret is InvalidCiphertext, never other plaintext', () => {
    for (let index = 0; index < sealed.length; index += 1) {
      const copy = Buffer.from(sealed);
      copy[index] = (copy[index] ?? 0) ^ 0x80;
      expect(() => openValue(key, copy, valueAad(ARN, 'v1'))).toThrow(expect.objectContaining({ code: 'InvalidCiphertext' }));
    }
    expect(() => openValue(randomBytes(32), sealed, valueAad(ARN, 'v1'))).toThrow(expect.objectContaining({ code: 'InvalidCiphertext' }));
    expect(() => openValue(key, sealed, valueAad(ARN, 'v2'))).toThrow(expect.objectContaining({ code: 'InvalidCiphertext' }));
    expect(() => openValue(key, sealed, valueAad(`${ARN}x`, 'v1'))).toThrow(expect.objectContaining({ code: 'InvalidCiphertext' }));
    expect(() => openValue(key, sealed.subarray(0, 20), valueAad(ARN, 'v1'))).toThrow(expect.objectContaining({ code: 'InvalidCiphertext' }));
    expect(() => openValue(key.subarray(0, 16), sealed, valueAad(ARN, 'v1'))).toThrow(expect.objectContaining({ code: 'InvalidCiphertext' }));
  });

  it('binds names unambiguously (no concatenation collisions)', () => {
    expect(valueAad('ab', 'c').equals(valueAad('a', 'bc'))).toBe(false);
    expect(dataKeyContext(ARN, 'v1')).toEqual({ 'keyward:secret-arn': ARN, 'keyward:secret-version': 'v1' });
  });

  it('encodes text as UTF-8 (well-formed only) and binary from base64', () => {
    expect(decodeSecretData(encodeSecretData('päss €', 'text'), 'text')).toBe('päss €');
    expect(encodeSecretData('AAEC/w==', 'binary')).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(decodeSecretData(Buffer.from([0, 1, 2, 255]), 'binary')).toBe('AAEC/w==');
    expect(() => encodeSecretData('a\uD800b', 'text')).toThrow(expect.objectContaining({ code: 'InvalidParameter' }));
    expect(decodeSecretData(encodeSecretData('\u{1F600}', 'text'), 'text')).toBe('\u{1F600}');
  });
});
