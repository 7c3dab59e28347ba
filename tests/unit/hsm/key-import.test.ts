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
});
