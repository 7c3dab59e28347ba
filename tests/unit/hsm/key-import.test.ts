import { describe, expect, it } from 'vitest';
import { unwrapTemplate } from '../../../electron/main/hsm/worker/cluster-templates';
import { CKA, CKO } from '../../../electron/main/hsm/worker/constants';
import { HsmOpError } from '../../../electron/main/hsm/worker/failure';
import { importKeyPairTemplates } from '../../../electron/main/hsm/worker/unwrap-key-pair-templates';
import type { TemplateAttribute } from '../../../electron/main/hsm/worker/templates';
import { validators } from '../../../electron/main/hsm/worker/validate';

const serial = '0123456789abcdef';
const objectId = 'ffeeddccbbaa99887766554433221100';
const identity = { objectId, label: 'kw-imp-test' };

function value(template: TemplateAttribute[], type: number): TemplateAttribute['value'] | undefined {
  return template.find((attribute) => attribute.type === type)?.value;
}

function failureCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HsmOpError);
    return (error as HsmOpError).failure.code;
  }
  throw new Error('expected a validation failure');
}

describe('import key pair and imported key templates', () => {
  it('makes an unwrap-only, sensitive, never extractable private token key and a public key that does nothing in the token', () => {
    const { publicTemplate, privateTemplate } = importKeyPairTemplates(identity);
    expect(value(privateTemplate, CKA.CLASS)).toBe(CKO.PRIVATE_KEY);
    expect(value(privateTemplate, CKA.TOKEN)).toBe(true);
    expect(value(privateTemplate, CKA.PRIVATE)).toBe(true);
    expect(value(privateTemplate, CKA.SENSITIVE)).toBe(true);
    expect(value(privateTemplate, CKA.EXTRACTABLE)).toBe(false);
    expect(value(privateTemplate, CKA.UNWRAP)).toBe(true);
    expect(value(privateTemplate, CKA.DECRYPT)).toBe(false);
    expect(value(privateTemplate, CKA.SIGN)).toBe(false);
    expect(value(publicTemplate, CKA.MODULUS_BITS)).toBe(2048);
    expect(value(publicTemplate, CKA.ENCRYPT)).toBe(false);
    expect(value(publicTemplate, CKA.WRAP)).toBe(false);
  });

  it('gives imported secret keys the generation policy without CKA_VALUE_LEN', () => {
    const template = unwrapTemplate({ kind: 'AES', bits: 256 }, { wrapWithTrusted: false, extractable: false }, identity);
    expect(value(template, CKA.SENSITIVE)).toBe(true);
    expect(value(template, CKA.EXTRACTABLE)).toBe(false);
    expect(value(template, CKA.VALUE_LEN)).toBeUndefined();
  });
});

describe('import argument validation', () => {
  const unwrap = {
    serial,
    objectId,
    unwrappingObjectId: '00112233445566778899aabbccddeeff',
    wrapped: Buffer.alloc(256, 1),
    label: 'kw-1',
    spec: { kind: 'AES', bits: 256 },
    policy: { wrapWithTrusted: false, extractable: false },
  };

  it('accepts well-formed arguments', () => {
    expect(validators.unwrapImportedKey(unwrap)).toMatchObject({ serial, objectId, unwrappingObjectId: unwrap.unwrappingObjectId });
    expect(validators.generateImportKeyPair({ serial, objectId, label: 'kw-imp' })).toEqual({ serial, objectId, label: 'kw-imp' });
  });

  it('refuses wrapped blobs that are not one RSA-2048 block, bad ids and loose policies before pkcs11js sees them', () => {
    expect(failureCode(() => validators.unwrapImportedKey({ ...unwrap, wrapped: Buffer.alloc(255) }))).toBe('InvalidParameter');
    expect(failureCode(() => validators.unwrapImportedKey({ ...unwrap, unwrappingObjectId: 'not-hex' }))).toBe('InvalidParameter');
    expect(failureCode(() => validators.unwrapImportedKey({ ...unwrap, policy: { wrapWithTrusted: false, extractable: true } }))).toBe(
      'InvalidParameter',
    );
    expect(failureCode(() => validators.generateImportKeyPair({ serial, objectId: 'short', label: 'x' }))).toBe('InvalidParameter');
  });

  it('takes key pairs as the RSA-OAEP block plus whole AES key wrap blocks, and no Ed25519 at all', () => {
    const pair = { ...unwrap, spec: { kind: 'EC', curve: 'P-256' } };
    expect(validators.unwrapImportedKey({ ...pair, wrapped: Buffer.alloc(256 + 152, 1) }).wrapped).toHaveLength(408);
    expect(validators.unwrapImportedKey({ ...pair, spec: { kind: 'RSA', bits: 4096 }, wrapped: Buffer.alloc(256 + 2400, 1) }).spec).toEqual({ kind: 'RSA', bits: 4096 });
    // The RSA-OAEP block alone, a cut AES key wrap, one that is not whole 8-byte blocks.
    for (const length of [256, 256 + 8, 256 + 153]) {
      expect(failureCode(() => validators.unwrapImportedKey({ ...pair, wrapped: Buffer.alloc(length, 1) })), String(length)).toBe('InvalidParameter');
    }
    // A secret key's material is one RSA-OAEP block, nothing after it.
    expect(failureCode(() => validators.unwrapImportedKey({ ...unwrap, wrapped: Buffer.alloc(256 + 152, 1) }))).toBe('InvalidParameter');
    expect(failureCode(() => validators.unwrapImportedKey({ ...unwrap, spec: { kind: 'ED25519' }, wrapped: Buffer.alloc(256 + 48, 1) }))).toBe(
      'InvalidParameter',
    );
  });
});

describe('Ed25519 arguments', () => {
  const ref = { serial, objectId };

  it('signs messages of 1 to 4096 bytes with EdDSA, and only 32-byte digests with ECDSA', () => {
    expect(validators.sign({ ...ref, mechanism: 'EDDSA', data: Buffer.alloc(4096, 1) }).data).toHaveLength(4096);
    expect(validators.sign({ ...ref, mechanism: 'EDDSA', data: Buffer.alloc(1, 1) }).data).toHaveLength(1);
    for (const data of [Buffer.alloc(0), Buffer.alloc(4097, 1)]) {
      expect(failureCode(() => validators.sign({ ...ref, mechanism: 'EDDSA', data }))).toBe('InvalidParameter');
    }
    expect(failureCode(() => validators.sign({ ...ref, mechanism: 'ECDSA', data: Buffer.alloc(33, 1) }))).toBe('InvalidParameter');
  });

  it('takes Ed25519 key specs and 32-byte public keys', () => {
    expect(validators.generateKey({ ...ref, label: 'kw', spec: { kind: 'ED25519' }, policy: { wrapWithTrusted: false, extractable: false } }).spec).toEqual({
      kind: 'ED25519',
    });
    const material = (publicKey: Buffer) => ({ ...ref, label: 'kw', spec: { kind: 'ED25519' }, material: { kind: 'ED25519', publicKey } });
    expect(validators.createPublicKey(material(Buffer.alloc(32, 2))).material).toEqual({ kind: 'ED25519', publicKey: Buffer.alloc(32, 2) });
    expect(failureCode(() => validators.createPublicKey(material(Buffer.alloc(33, 2))))).toBe('InvalidParameter');
  });
});
