/**
 * Key check values computed inside the HSM: the same for every call on one key, different between
 * keys, the documented construction (checked from outside on an HMAC key of known value), and an
 * error, not a value, for a damaged copy, half a key pair or a missing key.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyMaterialSpec } from '../../../electron/main/hsm/types';
import { importKnownSecret } from '../../support/known-secret';
import { caught, newObjectId, setUpToken, USER_PIN, type TokenSetup } from './helpers';

const POLICY = { wrapWithTrusted: false, extractable: false };

describe('hsm key check values (SoftHSM2)', () => {
  let t: TokenSetup;

  beforeAll(async () => {
    t = await setUpToken('check-values');
  });
  afterAll(async () => {
    await t.close();
  });

  const generate = async (spec: KeyMaterialSpec): Promise<string> => {
    const objectId = newObjectId();
    await t.client.generateKey({ serial: t.serial, objectId, label: 'kcv', spec, policy: POLICY });
    return objectId;
  };
  const checkValue = (objectId: string): Promise<Buffer> => t.client.keyCheckValue({ serial: t.serial, objectId });

  it.each<{ name: string; spec: KeyMaterialSpec }>([
    { name: 'AES-256', spec: { kind: 'AES', bits: 256 } },
    { name: 'HMAC-512', spec: { kind: 'HMAC', bits: 512 } },
    { name: 'RSA-2048', spec: { kind: 'RSA', bits: 2048 } },
    { name: 'EC P-256', spec: { kind: 'EC', curve: 'P-256' } },
  ])('$name: 8 bytes, stable for one key, different for another', async ({ spec }) => {
    const [first, second] = [await generate(spec), await generate(spec)];
    const value = await checkValue(first);
    expect(value).toHaveLength(8);
    expect((await checkValue(first)).equals(value)).toBe(true);
    expect((await checkValue(second)).equals(value)).toBe(false);
  });

  it('an HMAC key check value is HMAC-SHA256 over the fixed label, truncated', async () => {
    const value = Buffer.from(Array.from({ length: 32 }, (_, i) => 255 - i));
    const objectId = newObjectId();
    importKnownSecret({ moduleSpec: t.fixture.moduleSpec, serial: t.serial, pin: USER_PIN }, objectId, value);
    const expected = createHmac('sha256', value).update('Keyward key check value').digest().subarray(0, 8);
    expect((await checkValue(objectId)).toString('hex')).toBe(expected.toString('hex'));
  });

  it('a copy without usable material fails with the token error instead of giving a value', async () => {
    const objectId = await generate({ kind: 'HMAC', bits: 256 });
    // What a process killed inside C_UnwrapKey can leave: the object under the right id, its value unusable.
    importKnownSecret({ moduleSpec: t.fixture.moduleSpec, serial: t.serial, pin: USER_PIN }, objectId, Buffer.from([7]), { replaceExisting: true });
    const error = await caught(checkValue(objectId));
    expect(error).toMatchObject({ code: 'HsmError.Generic', ckr: 'CKR_KEY_SIZE_RANGE' });
  });

  it('an AES copy whose value is no AES key length is refused as damaged, not as an unsupported mechanism', async () => {
    const objectId = await generate({ kind: 'AES', bits: 256 });
    importKnownSecret({ moduleSpec: t.fixture.moduleSpec, serial: t.serial, pin: USER_PIN }, objectId, Buffer.alloc(5, 1), { replaceExisting: true, keyType: 'AES' });
    const error = await caught(checkValue(objectId));
    expect(error).toMatchObject({ code: 'HsmError.Generic', ckr: 'CKR_MECHANISM_INVALID' });
    expect(error.message).toContain('material is unusable');
  });

  it('half a key pair and a missing key are told apart', async () => {
    const spec: KeyMaterialSpec = { kind: 'EC', curve: 'P-256' };
    const objectId = await generate(spec);
    const material = await t.client.getPublicKey({ serial: t.serial, objectId });
    await t.client.destroyKey({ serial: t.serial, objectId });
    expect((await caught(checkValue(objectId))).code).toBe('HsmError.ObjectNotFound');
    await t.client.createPublicKey({ serial: t.serial, objectId, label: 'kcv', spec, material });
    const half = await caught(checkValue(objectId));
    expect(half.code).toBe('HsmError.Generic');
    expect(half.message).toContain('only the public half');
  });
});
