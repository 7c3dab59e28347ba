import { describe, expect, it } from 'vitest';
import { additionalData, assembleBlob, encodeHeader, parseBlob } from '../../../electron/main/services/crypto/ciphertext-blob';
import { KmsError } from '../../../shared/errors';

const keyId = '0b8f7c1e-9a4d-4c2b-8e1f-2a3b4c5d6e7f';
const keyVersionId = 'f1e2d3c4-b5a6-4798-8a7b-6c5d4e3f2a1b';

describe('ciphertext blob', () => {
  it('round-trips key, version, IV and sealed bytes', () => {
    const header = encodeHeader({ keyId, keyVersionId });
    const iv = Buffer.alloc(12, 7);
    const sealed = Buffer.alloc(40, 9);
    const parsed = parseBlob(assembleBlob(header, iv, sealed));
    expect(parsed.keyId).toBe(keyId);
    expect(parsed.keyVersionId).toBe(keyVersionId);
    expect(parsed.iv.equals(iv)).toBe(true);
    expect(parsed.sealed.equals(sealed)).toBe(true);
    expect(parsed.header.equals(header)).toBe(true);
  });

  it.each([
    ['too short', Buffer.alloc(10)],
    ['wrong magic', Buffer.concat([Buffer.from('XX'), Buffer.alloc(80)])],
    ['unknown format', Buffer.concat([Buffer.from('KW'), Buffer.from([9]), Buffer.alloc(80)])],
  ])('refuses a blob that is %s with InvalidCiphertext', (_name, blob) => {
    expect(() => parseBlob(blob)).toThrowError(KmsError);
    try {
      parseBlob(blob);
    } catch (error) {
      expect((error as KmsError).code).toBe('InvalidCiphertext');
    }
  });

  it('binds the encryption context independent of key order', () => {
    const header = encodeHeader({ keyId, keyVersionId });
    const a = additionalData(header, { b: '2', a: '1' });
    const b = additionalData(header, { a: '1', b: '2' });
    expect(a.equals(b)).toBe(true);
    expect(additionalData(header, undefined).equals(additionalData(header, {}))).toBe(true);
    expect(additionalData(header, { a: '1' }).equals(a)).toBe(false);
  });
});
