import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyMaterialSpec, KeyObjectInfo } from '../../../electron/main/hsm/types';
import { caught, newObjectId, setUpToken, type TokenSetup } from './helpers';

const NOT_EXPORTABLE = { wrapWithTrusted: false, extractable: false };

describe('hsm key objects (SoftHSM2)', () => {
  let t: TokenSetup;

  beforeAll(async () => {
    t = await setUpToken('keys');
  });

  afterAll(async () => {
    await t.close();
  });

  const specs: { name: string; spec: KeyMaterialSpec; classes: KeyObjectInfo['objectClass'][]; keyType: KeyObjectInfo['keyType'] }[] = [
    { name: 'AES-128', spec: { kind: 'AES', bits: 128 }, classes: ['SECRET_KEY'], keyType: 'AES' },
    { name: 'AES-192', spec: { kind: 'AES', bits: 192 }, classes: ['SECRET_KEY'], keyType: 'AES' },
    { name: 'AES-256', spec: { kind: 'AES', bits: 256 }, classes: ['SECRET_KEY'], keyType: 'AES' },
    { name: 'HMAC-256', spec: { kind: 'HMAC', bits: 256 }, classes: ['SECRET_KEY'], keyType: 'GENERIC_SECRET' },
    { name: 'HMAC-512', spec: { kind: 'HMAC', bits: 512 }, classes: ['SECRET_KEY'], keyType: 'GENERIC_SECRET' },
    { name: 'RSA-2048', spec: { kind: 'RSA', bits: 2048 }, classes: ['PRIVATE_KEY', 'PUBLIC_KEY'], keyType: 'RSA' },
    { name: 'EC P-256', spec: { kind: 'EC', curve: 'P-256' }, classes: ['PRIVATE_KEY', 'PUBLIC_KEY'], keyType: 'EC' },
    { name: 'EC secp256k1', spec: { kind: 'EC', curve: 'secp256k1' }, classes: ['PRIVATE_KEY', 'PUBLIC_KEY'], keyType: 'EC' },
  ];

  it.each(specs)('generates $name as a sensitive, non-extractable token key', async ({ spec, classes, keyType }) => {
    const objectId = newObjectId();
    const label = `test/${spec.kind}`;
    await expect(t.client.generateKey({ serial: t.serial, objectId, label, spec, policy: NOT_EXPORTABLE })).resolves.toEqual({ objectId });
    expect(await t.client.keyExists({ serial: t.serial, objectId })).toBe(true);

    const objects = await t.client.describeKey({ serial: t.serial, objectId });
    expect(objects.map((o) => o.objectClass).sort()).toEqual([...classes].sort());
    for (const object of objects) {
      expect(object).toMatchObject({ keyType, label, token: true, private: true, local: true });
      if (object.objectClass === 'PUBLIC_KEY') continue;
      expect(object).toMatchObject({
        sensitive: true,
        extractable: false,
        alwaysSensitive: true,
        neverExtractable: true,
        wrapWithTrusted: false,
      });
    }

    if (spec.kind === 'RSA') {
      const pub = await t.client.getPublicKey({ serial: t.serial, objectId });
      expect(pub.kind).toBe('RSA');
      if (pub.kind === 'RSA') {
        expect(pub.modulus).toHaveLength(256);
        expect(pub.publicExponent.toString('hex')).toBe('010001');
      }
    }
    if (spec.kind === 'EC') {
      const pub = await t.client.getPublicKey({ serial: t.serial, objectId });
      expect(pub).toMatchObject({ kind: 'EC', curve: spec.curve });
      if (pub.kind === 'EC') {
        expect(pub.point).toHaveLength(65);
        expect(pub.point[0]).toBe(0x04);
      }
    }
  });

  it('marks cluster keys extractable only under a trusted wrapping key', async () => {
    const objectId = newObjectId();
    const policy = { wrapWithTrusted: true, extractable: true };
    await t.client.generateKey({ serial: t.serial, objectId, label: 'cluster', spec: { kind: 'AES', bits: 256 }, policy });
    const [secret] = await t.client.describeKey({ serial: t.serial, objectId });
    expect(secret).toMatchObject({ sensitive: true, extractable: true, neverExtractable: false, wrapWithTrusted: true });

    const refused = await caught(
      t.client.generateKey({
        serial: t.serial,
        objectId: newObjectId(),
        label: 'plain-extractable',
        spec: { kind: 'AES', bits: 256 },
        policy: { wrapWithTrusted: false, extractable: true },
      }),
    );
    expect(refused.code).toBe('InvalidParameter');
  });

  it('refuses a second key with the same CKA_ID', async () => {
    const objectId = newObjectId();
    await t.client.generateKey({ serial: t.serial, objectId, label: 'one', spec: { kind: 'AES', bits: 128 }, policy: NOT_EXPORTABLE });
    const error = await caught(
      t.client.generateKey({ serial: t.serial, objectId, label: 'two', spec: { kind: 'AES', bits: 128 }, policy: NOT_EXPORTABLE }),
    );
    expect(error.code).toBe('InvalidParameter');
    expect(await t.client.describeKey({ serial: t.serial, objectId })).toHaveLength(1);
  });

  it('destroys every object of a key pair, after which the key is gone', async () => {
    const objectId = newObjectId();
    await t.client.generateKey({ serial: t.serial, objectId, label: 'doomed', spec: { kind: 'EC', curve: 'P-256' }, policy: NOT_EXPORTABLE });
    // Warm the handle cache first so destroy must invalidate it.
    await t.client.sign({ serial: t.serial, objectId, mechanism: 'ECDSA', data: Buffer.alloc(32, 7) });
    expect(await t.client.destroyKey({ serial: t.serial, objectId })).toEqual({ destroyed: 2 });
    expect(await t.client.keyExists({ serial: t.serial, objectId })).toBe(false);
    const error = await caught(t.client.sign({ serial: t.serial, objectId, mechanism: 'ECDSA', data: Buffer.alloc(32, 7) }));
    expect(error.code).toBe('HsmError.ObjectNotFound');
    expect(await t.client.destroyKey({ serial: t.serial, objectId })).toEqual({ destroyed: 0 });
  });

  it('has no public key for a symmetric key and no key for an unknown id', async () => {
    const objectId = newObjectId();
    await t.client.generateKey({ serial: t.serial, objectId, label: 'aes', spec: { kind: 'AES', bits: 256 }, policy: NOT_EXPORTABLE });
    expect((await caught(t.client.getPublicKey({ serial: t.serial, objectId }))).code).toBe('UnsupportedOperation');
    expect((await caught(t.client.getPublicKey({ serial: t.serial, objectId: newObjectId() }))).code).toBe('HsmError.ObjectNotFound');
    expect(await t.client.keyExists({ serial: t.serial, objectId: newObjectId() })).toBe(false);
  });

  it('keeps token keys across a logout and a new login', async () => {
    const objectId = newObjectId();
    await t.client.generateKey({ serial: t.serial, objectId, label: 'persist', spec: { kind: 'HMAC', bits: 256 }, policy: NOT_EXPORTABLE });
    await t.client.logout({ serial: t.serial });
    expect((await caught(t.client.keyExists({ serial: t.serial, objectId }))).code).toBe('Forbidden.KeyStoreState');
    await t.client.login({ serial: t.serial, userPin: 'user-Secret-0815' });
    expect(await t.client.keyExists({ serial: t.serial, objectId })).toBe(true);
  });
});
