import { describe, expect, it } from 'vitest';
import { HsmOpError } from '../../../electron/main/hsm/worker/failure';
import { validators } from '../../../electron/main/hsm/worker/validate';

const serial = '0123456789abcdef';
const objectId = 'ffeeddccbbaa99887766554433221100';

function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HsmOpError);
    return (error as HsmOpError).failure;
  }
  throw new Error('expected a validation failure');
}

describe('worker argument validation', () => {
  it('accepts well-formed arguments and returns exactly the known fields', () => {
    const args = validators.sign({ serial, objectId, mechanism: 'ECDSA', data: Buffer.alloc(32), extra: 'dropped' });
    expect(args).toEqual({ serial, objectId, mechanism: 'ECDSA', data: Buffer.alloc(32) });
    expect(validators.generateRandom({ serial, length: 16 })).toEqual({ serial, length: 16 });
    // Structured clone through utilityProcess gives plain Uint8Arrays; the worker hands pkcs11js Buffers.
    const encrypted = validators.encrypt({
      serial,
      objectId,
      mechanism: { kind: 'AES_GCM', iv: new Uint8Array(12), aad: new Uint8Array(0), tagBits: 128 },
      data: new Uint8Array([1, 2, 3]),
    });
    expect(Buffer.isBuffer(encrypted.data)).toBe(true);
  });

  it('rejects malformed PINs as HsmError.PinInvalid without quoting them', () => {
    for (const userPin of ['', 'a\u0000b', 'tab\there', 'x'.repeat(256), 1234, null]) {
      const f = failure(() => validators.login({ serial, userPin }));
      expect(f.code).toBe('HsmError.PinInvalid');
      if (typeof userPin === 'string' && userPin.length > 0) expect(f.message).not.toContain(userPin);
    }
  });

  it('rejects bad serials, object ids, labels and lengths as InvalidParameter', () => {
    expect(failure(() => validators.isLoggedIn({ serial: '' })).code).toBe('InvalidParameter');
    expect(failure(() => validators.isLoggedIn({ serial: 'x'.repeat(17) })).code).toBe('InvalidParameter');
    expect(failure(() => validators.keyExists({ serial, objectId: objectId.toUpperCase() })).code).toBe('InvalidParameter');
    expect(failure(() => validators.keyExists(null)).code).toBe('InvalidParameter');
    expect(failure(() => validators.initToken({ soPin: '12345678', label: 'x'.repeat(33) })).code).toBe('InvalidParameter');
    expect(failure(() => validators.initToken({ soPin: '12345678', label: 'ok', slotId: -1 })).code).toBe('InvalidParameter');
    expect(failure(() => validators.generateRandom({ serial, length: 0 })).code).toBe('InvalidParameter');
    expect(failure(() => validators.generateRandom({ serial, length: 1.5 })).code).toBe('InvalidParameter');
  });

  it('rejects data the binding would pass as NULL or that does not fit the mechanism', () => {
    const gcm = { kind: 'AES_GCM', iv: Buffer.alloc(12), aad: Buffer.alloc(0), tagBits: 128 };
    expect(failure(() => validators.encrypt({ serial, objectId, mechanism: gcm, data: Buffer.alloc(0) })).code).toBe('InvalidParameter');
    expect(failure(() => validators.encrypt({ serial, objectId, mechanism: { ...gcm, iv: Buffer.alloc(4) }, data: Buffer.alloc(1) })).code).toBe(
      'InvalidParameter',
    );
    expect(failure(() => validators.encrypt({ serial, objectId, mechanism: { ...gcm, tagBits: 96 }, data: Buffer.alloc(1) })).code).toBe(
      'InvalidParameter',
    );
    expect(failure(() => validators.sign({ serial, objectId, mechanism: 'RSA_PSS_SHA256', data: Buffer.alloc(48) })).code).toBe(
      'InvalidParameter',
    );
    expect(failure(() => validators.sign({ serial, objectId, mechanism: 'MD5', data: Buffer.alloc(32) })).code).toBe('InvalidParameter');
    expect(failure(() => validators.sign({ serial, objectId, mechanism: 'ECDSA', data: 'not a buffer' })).code).toBe('InvalidParameter');
    expect(failure(() => validators.verify({ serial, objectId, mechanism: 'ECDSA', data: Buffer.alloc(32), signature: Buffer.alloc(0) })).code).toBe(
      'InvalidParameter',
    );
  });

  it('bounds data objects: a label like any other, a value of 1 to 4096 bytes', () => {
    expect(validators.getDataObjects({ serial, label: 'keyward-audit-anchor', extra: 1 })).toEqual({ serial, label: 'keyward-audit-anchor' });
    expect(Buffer.isBuffer(validators.putDataObject({ serial, label: 'a', value: new Uint8Array(4096) }).value)).toBe(true);
    expect(failure(() => validators.putDataObject({ serial, label: 'a', value: Buffer.alloc(0) })).code).toBe('InvalidParameter');
    expect(failure(() => validators.putDataObject({ serial, label: 'a', value: Buffer.alloc(4097) })).code).toBe('InvalidParameter');
    expect(failure(() => validators.putDataObject({ serial, label: 'a', value: 'text' })).code).toBe('InvalidParameter');
    expect(failure(() => validators.getDataObjects({ serial, label: 'a\u0000b' })).code).toBe('InvalidParameter');
    expect(failure(() => validators.getDataObjects({ serial, label: 'x'.repeat(33) })).code).toBe('InvalidParameter');
  });

  it('checks key specs and refuses extractable keys that are not wrap-with-trusted', () => {
    const base = { serial, objectId, label: 'k' };
    const locked = { wrapWithTrusted: false, extractable: false };
    expect(validators.generateKey({ ...base, spec: { kind: 'RSA', bits: 4096 }, policy: locked }).spec).toEqual({ kind: 'RSA', bits: 4096 });
    expect(failure(() => validators.generateKey({ ...base, spec: { kind: 'RSA', bits: 1024 }, policy: locked })).code).toBe('InvalidParameter');
    expect(failure(() => validators.generateKey({ ...base, spec: { kind: 'EC', curve: 'P-384' }, policy: locked })).code).toBe('InvalidParameter');
    expect(
      failure(() => validators.generateKey({ ...base, spec: { kind: 'AES', bits: 256 }, policy: { wrapWithTrusted: false, extractable: true } })).code,
    ).toBe('InvalidParameter');
  });
});
