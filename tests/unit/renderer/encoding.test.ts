import { describe, expect, it } from 'vitest';
import { base64ToBytes, base64ToUtf8, bytesToBase64, compactBase64, utf8ToBase64 } from '../../../renderer/src/lib/encoding';
import { sha256Base64, signingDigest, signsDigestOnly } from '../../../renderer/src/lib/digest';

describe('base64 and UTF-8', () => {
  it('round-trips text with non-ASCII characters', () => {
    const text = 'ключ ✓ 鍵 🔑';
    const encoded = utf8ToBase64(text);
    expect(encoded).toBe(Buffer.from(text, 'utf8').toString('base64'));
    expect(base64ToUtf8(encoded)).toEqual({ text, validUtf8: true });
  });

  it('round-trips every byte value and large inputs', () => {
    const bytes = new Uint8Array(100_000).map((_, index) => index % 256);
    const encoded = bytesToBase64(bytes);
    expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
    expect(base64ToBytes(encoded)).toEqual(bytes);
  });

  it('ignores whitespace a copy-paste adds', () => {
    expect(base64ToBytes('AAEC\nAwQF\n')).toEqual(new Uint8Array([0, 1, 2, 3, 4, 5]));
    expect(compactBase64(' AA EC\r\n ')).toBe('AAEC');
  });

  it('rejects text that is not base64', () => {
    expect(() => base64ToBytes('not base64!')).toThrow('not valid base64');
    expect(() => base64ToBytes('AAE')).toThrow('not valid base64');
  });

  it('flags bytes that are not UTF-8 instead of failing', () => {
    const decoded = base64ToUtf8(bytesToBase64(new Uint8Array([0x66, 0xff, 0x6f])));
    expect(decoded.validUtf8).toBe(false);
    expect(decoded.text).toBe('f\uFFFDo');
  });

  it('digests a message as SHA-256 base64', async () => {
    expect(await sha256Base64('abc')).toBe('ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
  });

  it('gives AsymmetricSign the SHA-256 digest, or for ED25519_SHA_512 (pure EdDSA) the message itself', async () => {
    expect(await signingDigest('ECDSA_SHA_256', 'abc')).toBe('ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
    expect(await signingDigest('ED25519_SHA_512', 'ключ')).toBe(Buffer.from('ключ', 'utf8').toString('base64'));
    expect(signsDigestOnly('RSA_PSS_SHA_256')).toBe(true);
    expect(signsDigestOnly('ED25519_SHA_512')).toBe(false);
  });
});
