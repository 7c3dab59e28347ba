import { createHash, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  curveFromEcParams,
  ecdsaDerToRaw,
  ecdsaRawToDer,
  ecParamsForCurve,
  ecPointFromAttribute,
  ed25519PointFromAttribute,
  isEd25519EcParams,
  sha256DigestInfo,
} from '../../../electron/main/hsm/der';
import { publicKeyToKeyObject, publicKeyToPem, publicKeyToSpki } from '../../../electron/main/hsm/public-key';

describe('DER helpers', () => {
  it('encodes the named curve OIDs and recognises them again', () => {
    expect(ecParamsForCurve('P-256').toString('hex')).toBe('06082a8648ce3d030107');
    expect(ecParamsForCurve('secp256k1').toString('hex')).toBe('06052b8104000a');
    expect(curveFromEcParams(ecParamsForCurve('secp256k1'))).toBe('secp256k1');
    expect(curveFromEcParams(Buffer.from('06052b81040022', 'hex'))).toBeNull(); // P-384
  });

  it('unwraps CKA_EC_POINT from its OCTET STRING and accepts a bare point', () => {
    const point = Buffer.concat([Buffer.from([0x04]), Buffer.alloc(64, 0xab)]);
    const wrapped = Buffer.concat([Buffer.from([0x04, 0x41]), point]);
    expect(ecPointFromAttribute(wrapped, 'P-256')?.equals(point)).toBe(true);
    expect(ecPointFromAttribute(point, 'P-256')?.equals(point)).toBe(true);
    expect(ecPointFromAttribute(wrapped.subarray(0, 40), 'P-256')).toBeNull();
    expect(ecPointFromAttribute(Buffer.from([0x04, 0x21, 0x02]), 'P-256')).toBeNull();
  });

  it('builds the SHA-256 DigestInfo that RSA PKCS#1 v1.5 signs', () => {
    const digest = createHash('sha256').update('abc').digest();
    const info = sha256DigestInfo(digest);
    expect(info).toHaveLength(51);
    expect(info.subarray(19).equals(digest)).toBe(true);
    expect(() => sha256DigestInfo(Buffer.alloc(20))).toThrow(RangeError);
  });

  it.each(['prime256v1', 'secp256k1'])('converts ECDSA %s signatures between raw and DER as node does', (namedCurve) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
    for (let i = 0; i < 20; i++) {
      const message = Buffer.from(`message ${i}`);
      const raw = nodeSign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const der = ecdsaRawToDer(raw);
      expect(nodeVerify('sha256', message, publicKey, der)).toBe(true);
      expect(ecdsaDerToRaw(der, 32).equals(raw)).toBe(true);
    }
    expect(() => ecdsaDerToRaw(Buffer.from('300402010102', 'hex'), 32)).toThrow(RangeError);
  });

  it('turns public key material into node key objects, SPKI and PEM', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const jwk = publicKey.export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
    const material = { kind: 'EC' as const, curve: 'P-256' as const, point };
    expect(publicKeyToKeyObject(material).equals(publicKey)).toBe(true);
    expect(publicKeyToSpki(material).equals(publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
    expect(publicKeyToPem(material)).toMatch(/^-----BEGIN PUBLIC KEY-----/);

    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    const rsaJwk = rsa.export({ format: 'jwk' });
    const rsaMaterial = {
      kind: 'RSA' as const,
      modulus: Buffer.from(rsaJwk.n ?? '', 'base64url'),
      publicExponent: Buffer.from(rsaJwk.e ?? '', 'base64url'),
    };
    expect(publicKeyToKeyObject(rsaMaterial).equals(rsa)).toBe(true);
  });

  it('reads Ed25519 parameters and points in both PKCS#11 v3.0 spellings, and publishes the key as openssl does', () => {
    expect(isEd25519EcParams(Buffer.from('06032b6570', 'hex'))).toBe(true);
    // SoftHSM2 2.6 stores and reports the PrintableString "edwards25519".
    expect(isEd25519EcParams(Buffer.from('130c656477617264733235353139', 'hex'))).toBe(true);
    expect(isEd25519EcParams(ecParamsForCurve('P-256'))).toBe(false);
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
    expect(ed25519PointFromAttribute(Buffer.concat([Buffer.from([0x04, 0x20]), raw]))).toEqual(raw);
    expect(ed25519PointFromAttribute(raw)).toEqual(raw);
    expect(ed25519PointFromAttribute(Buffer.alloc(33))).toBeNull();
    expect(publicKeyToPem({ kind: 'ED25519', publicKey: raw })).toBe(publicKey.export({ type: 'spki', format: 'pem' }));
  });
});
