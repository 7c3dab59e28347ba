import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ecdsaDerToRaw, ecdsaRawToDer as rawToDer } from '../../../electron/main/hsm/der';

function derToRaw(der: Buffer, size: number): Buffer | null {
  try {
    return ecdsaDerToRaw(der, size);
  } catch {
    return null;
  }
}

describe('ECDSA signature encoding', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('converts raw r||s into DER that node crypto verifies, and back', () => {
    for (let index = 0; index < 50; index += 1) {
      const message = Buffer.from(`message ${index}`);
      const raw = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const der = rawToDer(raw);
      expect(verify('sha256', message, publicKey, der)).toBe(true);
      expect(derToRaw(der, 32)?.equals(raw)).toBe(true);
    }
  });

  it('rejects malformed DER', () => {
    expect(derToRaw(Buffer.from([0x30, 0x02, 0x02, 0x00]), 32)).toBeNull();
    expect(derToRaw(Buffer.from([0x31, 0x00]), 32)).toBeNull();
    expect(derToRaw(Buffer.alloc(0), 32)).toBeNull();
    const raw = Buffer.alloc(64, 1);
    const der = rawToDer(raw);
    expect(derToRaw(Buffer.concat([der, Buffer.from([0])]), 32)).toBeNull();
  });
});
