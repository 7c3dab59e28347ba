import { constants, createHash, createHmac, publicEncrypt, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecdsaRawToDer } from '../../../electron/main/hsm/der';
import { publicKeyToKeyObject } from '../../../electron/main/hsm/public-key';
import type { CipherMechanism, KeyMaterialSpec } from '../../../electron/main/hsm/types';
import { caught, newObjectId, setUpToken, USER_PIN, type TokenSetup } from './helpers';
import { importKnownSecret } from '../../support/known-secret';

const POLICY = { wrapWithTrusted: false, extractable: false };

describe('hsm cryptographic operations (SoftHSM2)', () => {
  let t: TokenSetup;
  const keys: Record<string, string> = {};

  async function key(name: string, spec: KeyMaterialSpec): Promise<void> {
    keys[name] = newObjectId();
    await t.client.generateKey({ serial: t.serial, objectId: keys[name], label: name, spec, policy: POLICY });
  }

  function id(name: string): string {
    const objectId = keys[name];
    if (!objectId) throw new Error(`no key ${name}`);
    return objectId;
  }

  async function publicKeyOf(name: string): Promise<KeyObject> {
    return publicKeyToKeyObject(await t.client.getPublicKey({ serial: t.serial, objectId: id(name) }));
  }

  beforeAll(async () => {
    t = await setUpToken('crypto');
    await Promise.all([
      key('aes', { kind: 'AES', bits: 256 }),
      key('hmac256', { kind: 'HMAC', bits: 256 }),
      key('hmac512', { kind: 'HMAC', bits: 512 }),
      key('rsa', { kind: 'RSA', bits: 2048 }),
      key('p256', { kind: 'EC', curve: 'P-256' }),
      key('k1', { kind: 'EC', curve: 'secp256k1' }),
    ]);
  });

  afterAll(async () => {
    await t.close();
  });

  const gcm = (aad = Buffer.from('context')): CipherMechanism => ({
    kind: 'AES_GCM',
    iv: Buffer.from('0102030405060708090a0b0c', 'hex'),
    aad,
    tagBits: 128,
  });

  it('round-trips AES-256-GCM and appends a 16-byte tag', async () => {
    const data = Buffer.from('attack at dawn, bring the HSM');
    const sealed = await t.client.encrypt({ serial: t.serial, objectId: id('aes'), mechanism: gcm(), data });
    expect(sealed).toHaveLength(data.length + 16);
    const opened = await t.client.decrypt({ serial: t.serial, objectId: id('aes'), mechanism: gcm(), data: sealed });
    expect(opened.equals(data)).toBe(true);

    const noAad = await t.client.encrypt({ serial: t.serial, objectId: id('aes'), mechanism: gcm(Buffer.alloc(0)), data });
    const back = await t.client.decrypt({ serial: t.serial, objectId: id('aes'), mechanism: gcm(Buffer.alloc(0)), data: noAad });
    expect(back.equals(data)).toBe(true);
  });

  it('refuses a key whose handles are cached once the token is logged out, and serves it after a new login', async () => {
    const data = Buffer.from('logged out means refused');
    await t.client.encrypt({ serial: t.serial, objectId: id('aes'), mechanism: gcm(), data });
    await t.client.logout({ serial: t.serial });
    try {
      const refused = await caught(t.client.encrypt({ serial: t.serial, objectId: id('aes'), mechanism: gcm(), data }));
      expect(refused.code).toBe('Forbidden.KeyStoreState');
      expect(refused.ckr).toBe('CKR_USER_NOT_LOGGED_IN');
    } finally {
      await t.client.login({ serial: t.serial, userPin: USER_PIN });
    }
    expect(await t.client.encrypt({ serial: t.serial, objectId: id('aes'), mechanism: gcm(), data })).toHaveLength(data.length + 16);
  });

  it('rejects a tampered tag, a wrong AAD and a truncated ciphertext as InvalidCiphertext', async () => {
    const data = Buffer.from('integrity matters');
    const sealed = await t.client.encrypt({ serial: t.serial, objectId: id('aes'), mechanism: gcm(), data });
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0x01;
    const cases = [
      { mechanism: gcm(), data: tampered },
      { mechanism: gcm(Buffer.from('other context')), data: sealed },
      { mechanism: gcm(), data: sealed.subarray(0, 10) },
    ];
    for (const c of cases) {
      const error = await caught(t.client.decrypt({ serial: t.serial, objectId: id('aes'), ...c }));
      expect(error.code).toBe('InvalidCiphertext');
    }
    // The failed operations must not leave sessions unusable.
    const again = await t.client.decrypt({ serial: t.serial, objectId: id('aes'), mechanism: gcm(), data: sealed });
    expect(again.equals(data)).toBe(true);
  });

  it.each(['p256', 'k1'])('signs ECDSA (%s) as raw r||s that node crypto verifies', async (name) => {
    const message = Buffer.from(`message for ${name}`);
    const digest = createHash('sha256').update(message).digest();
    const signature = await t.client.sign({ serial: t.serial, objectId: id(name), mechanism: 'ECDSA', data: digest });
    expect(signature).toHaveLength(64);
    const publicKey = await publicKeyOf(name);
    expect(nodeVerify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    expect(nodeVerify('sha256', message, publicKey, ecdsaRawToDer(signature))).toBe(true);

    const ok = await t.client.verify({ serial: t.serial, objectId: id(name), mechanism: 'ECDSA', data: digest, signature });
    expect(ok).toBe(true);
    const bad = Buffer.from(signature);
    bad[5] = (bad[5] ?? 0) ^ 0xff;
    expect(await t.client.verify({ serial: t.serial, objectId: id(name), mechanism: 'ECDSA', data: digest, signature: bad })).toBe(false);
    expect(
      await t.client.verify({ serial: t.serial, objectId: id(name), mechanism: 'ECDSA', data: digest, signature: signature.subarray(1) }),
    ).toBe(false);
  });

  it('signs RSA PKCS#1 v1.5 over a SHA-256 digest', async () => {
    const message = Buffer.from('pkcs1 message');
    const digest = createHash('sha256').update(message).digest();
    const signature = await t.client.sign({ serial: t.serial, objectId: id('rsa'), mechanism: 'RSA_PKCS_SHA256_DIGEST', data: digest });
    expect(signature).toHaveLength(256);
    const publicKey = await publicKeyOf('rsa');
    expect(nodeVerify('sha256', message, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature)).toBe(true);
    const args = { serial: t.serial, objectId: id('rsa'), mechanism: 'RSA_PKCS_SHA256_DIGEST' as const, data: digest };
    expect(await t.client.verify({ ...args, signature })).toBe(true);
    expect(await t.client.verify({ ...args, data: createHash('sha256').update('other').digest(), signature })).toBe(false);
  });

  it('signs RSA-PSS (SHA-256, MGF1-SHA-256, salt 32) over a digest', async () => {
    const message = Buffer.from('pss message');
    const digest = createHash('sha256').update(message).digest();
    const signature = await t.client.sign({ serial: t.serial, objectId: id('rsa'), mechanism: 'RSA_PSS_SHA256', data: digest });
    const publicKey = await publicKeyOf('rsa');
    const key = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    expect(nodeVerify('sha256', message, key, signature)).toBe(true);
    const args = { serial: t.serial, objectId: id('rsa'), mechanism: 'RSA_PSS_SHA256' as const, data: digest };
    expect(await t.client.verify({ ...args, signature })).toBe(true);
  });

  it.each([
    ['hmac256', 'SHA256_HMAC', 'sha256'],
    ['hmac512', 'SHA512_HMAC', 'sha512'],
  ] as const)('computes %s MACs deterministically that verify, and rejects altered ones', async (name, mechanism, hash) => {
    const message = Buffer.from('a message to authenticate');
    const mac = await t.client.sign({ serial: t.serial, objectId: id(name), mechanism, data: message });
    expect(mac).toHaveLength(hash === 'sha256' ? 32 : 64);
    const again = await t.client.sign({ serial: t.serial, objectId: id(name), mechanism, data: message });
    expect(again.equals(mac)).toBe(true);
    const args = { serial: t.serial, objectId: id(name), mechanism, data: message };
    expect(await t.client.verify({ ...args, signature: mac })).toBe(true);
    expect(await t.client.verify({ ...args, data: Buffer.from('another message'), signature: mac })).toBe(false);
    expect(await t.client.verify({ ...args, signature: mac.subarray(0, 16) })).toBe(false);
  });

  it.each([
    ['SHA256_HMAC', 'sha256', 32],
    ['SHA512_HMAC', 'sha512', 64],
  ] as const)('computes %s exactly as node crypto does with the same key', async (mechanism, hash, keyBytes) => {
    // Generated keys never leave the token, so a key with a known value is put there for this check.
    // (SoftHSM wants HMAC keys at least as long as the hash output: CKR_KEY_SIZE_RANGE otherwise.)
    const value = Buffer.from(Array.from({ length: keyBytes }, (_, i) => i));
    const objectId = newObjectId();
    importKnownSecret({ moduleSpec: t.fixture.moduleSpec, serial: t.serial, pin: USER_PIN }, objectId, value);
    const message = Buffer.from('The quick brown fox jumps over the lazy dog');
    const mac = await t.client.sign({ serial: t.serial, objectId, mechanism, data: message });
    expect(mac.equals(createHmac(hash, value).update(message).digest())).toBe(true);
    const expected = createHmac(hash, value).update('other').digest();
    expect(await t.client.verify({ serial: t.serial, objectId, mechanism, data: Buffer.from('other'), signature: expected })).toBe(true);
  });

  it('decrypts RSA-OAEP (SHA-1) ciphertext made by node crypto, and round-trips through the token', async () => {
    const publicKey = await publicKeyOf('rsa');
    const secret = Buffer.from('a data key of 32 bytes, exactly!');
    const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, secret);
    const mechanism = { kind: 'RSA_OAEP_SHA1' } as const;
    const opened = await t.client.decrypt({ serial: t.serial, objectId: id('rsa'), mechanism, data: wrapped });
    expect(opened.equals(secret)).toBe(true);

    const sealed = await t.client.encrypt({ serial: t.serial, objectId: id('rsa'), mechanism, data: secret });
    expect(sealed).toHaveLength(256);
    expect((await t.client.decrypt({ serial: t.serial, objectId: id('rsa'), mechanism, data: sealed })).equals(secret)).toBe(true);

    const garbage = Buffer.from(sealed);
    garbage[0] = (garbage[0] ?? 0) ^ 0x55;
    const error = await caught(t.client.decrypt({ serial: t.serial, objectId: id('rsa'), mechanism, data: garbage }));
    expect(error.code).toBe('InvalidCiphertext');
  });

  it('refuses mechanisms that do not fit the key', async () => {
    const digest = Buffer.alloc(32, 1);
    const wrongKind = await caught(t.client.sign({ serial: t.serial, objectId: id('aes'), mechanism: 'ECDSA', data: digest }));
    expect(wrongKind.code).toBe('HsmError.ObjectNotFound'); // no private key under this id
    const pid = t.client.workerPid;
    // SoftHSM 2.6.1 accepts an EC key at C_SignInit(CKM_RSA_PKCS_PSS) and then segfaults in
    // C_Sign: the worker must refuse the combination itself, and stay alive.
    const ecAsPss = { serial: t.serial, objectId: id('p256'), mechanism: 'RSA_PSS_SHA256' as const, data: digest };
    expect((await caught(t.client.sign(ecAsPss))).code).toBe('Forbidden.KeyUsage');
    expect((await caught(t.client.verify({ ...ecAsPss, signature: Buffer.alloc(64, 1) }))).code).toBe('Forbidden.KeyUsage');
    const rsaAsEcdsa = { serial: t.serial, objectId: id('rsa'), mechanism: 'ECDSA' as const, data: digest };
    expect((await caught(t.client.sign(rsaAsEcdsa))).code).toBe('Forbidden.KeyUsage');
    const aesAsMac = await caught(t.client.sign({ serial: t.serial, objectId: id('aes'), mechanism: 'SHA256_HMAC', data: digest }));
    expect(aesAsMac.code).toBe('Forbidden.KeyUsage');
    const hmacAsAes = await caught(t.client.encrypt({ serial: t.serial, objectId: id('hmac256'), mechanism: gcm(), data: digest }));
    expect(hmacAsAes.code).toBe('Forbidden.KeyUsage');
    const ecAsOaep = { serial: t.serial, objectId: id('k1'), mechanism: { kind: 'RSA_OAEP_SHA1' } as const, data: digest };
    expect((await caught(t.client.encrypt(ecAsOaep))).code).toBe('Forbidden.KeyUsage');
    expect(t.client.workerPid).toBe(pid);
    const shortDigest = await caught(t.client.sign({ serial: t.serial, objectId: id('p256'), mechanism: 'ECDSA', data: Buffer.alloc(20) }));
    expect(shortDigest.code).toBe('InvalidParameter');
    // The sessions used by those failures were replaced; signing still works.
    expect(await t.client.sign({ serial: t.serial, objectId: id('p256'), mechanism: 'ECDSA', data: digest })).toHaveLength(64);
  });

  it('generates random bytes', async () => {
    const a = await t.client.generateRandom({ serial: t.serial, length: 64 });
    const b = await t.client.generateRandom({ serial: t.serial, length: 64 });
    expect(a).toHaveLength(64);
    expect(a.equals(b)).toBe(false);
    expect((await caught(t.client.generateRandom({ serial: t.serial, length: 0 }))).code).toBe('InvalidParameter');
  });

  it('serves many concurrent operations through the session pool', async () => {
    const digest = Buffer.alloc(32, 9);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0
          ? t.client.sign({ serial: t.serial, objectId: id('p256'), mechanism: 'ECDSA', data: digest })
          : t.client.encrypt({ serial: t.serial, objectId: id('aes'), mechanism: gcm(), data: Buffer.from(`m${i}`) }),
      ),
    );
    expect(results.every((r) => r.length > 0)).toBe(true);
  });
});
