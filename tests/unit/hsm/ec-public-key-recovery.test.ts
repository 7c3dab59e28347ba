import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { recoverPublicKey, recoverPublicKeys } from '../../../electron/main/hsm/ec-public-key-recovery';

/** The uncompressed point of a Node public key, as CKA_EC_POINT holds it (without the OCTET STRING). */
function uncompressed(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
}

function signed(privateKey: KeyObject, label: string): { digest: Buffer; signature: Buffer } {
  const message = Buffer.from(label);
  // OpenSSL signs here, independently of the code under test; raw r||s as CKM_ECDSA returns it.
  return { digest: createHash('sha256').update(message).digest(), signature: sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' }) };
}

describe('EC public key recovery from ECDSA signatures', () => {
  it.each([
    ['P-256', 'prime256v1'],
    ['secp256k1', 'secp256k1'],
  ] as const)('finds the key of %s signatures made by OpenSSL, for many keys', (curve, namedCurve) => {
    for (let round = 0; round < 8; round += 1) {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve });
      const first = signed(privateKey, `first ${round}`);
      expect(recoverPublicKeys(curve, first.digest, first.signature).some((point) => point.equals(uncompressed(publicKey)))).toBe(true);
      expect(recoverPublicKey(curve, [first, signed(privateKey, `second ${round}`)])).toEqual(uncompressed(publicKey));
    }
  });

  it('answers null rather than a wrong key: signatures of two different keys, a tampered signature, the wrong curve', () => {
    const one = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    expect(recoverPublicKey('P-256', [signed(one, 'a'), signed(other, 'b')])).toBeNull();
    const tampered = signed(one, 'c');
    tampered.signature[40] = (tampered.signature[40] ?? 0) ^ 1;
    const genuine = recoverPublicKey('P-256', [signed(one, 'd'), signed(one, 'e')]);
    expect(recoverPublicKey('P-256', [tampered, signed(one, 'f')])).not.toEqual(genuine);
    expect(recoverPublicKey('secp256k1', [signed(one, 'g'), signed(one, 'h')])).toBeNull();
  });

  it('refuses out-of-range and malformed signatures', () => {
    const digest = Buffer.alloc(32, 7);
    expect(recoverPublicKeys('P-256', digest, Buffer.alloc(64))).toEqual([]);
    expect(recoverPublicKeys('P-256', digest, Buffer.alloc(64, 0xff))).toEqual([]);
    expect(recoverPublicKeys('P-256', digest, Buffer.alloc(63, 1))).toEqual([]);
    expect(recoverPublicKeys('P-256', Buffer.alloc(31), Buffer.alloc(64, 1))).toEqual([]);
  });
});
