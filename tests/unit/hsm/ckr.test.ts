import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CKR, ckrErrorCode, ckrMessage, ckrName, failureFromCkr, knownReturnValues } from '../../../electron/main/hsm/ckr';
import { ERROR_CODES } from '../../../shared/errors';

const pkcs11js = createRequire(import.meta.url)('pkcs11js') as Record<string, unknown>;

describe('CKR mapping', () => {
  it('names every return value pkcs11js knows, with the same number', () => {
    const ours = new Map(knownReturnValues().map(([value, name]) => [`CKR_${name}`, value]));
    const theirs = Object.entries(pkcs11js).filter(([key, value]) => key.startsWith('CKR_') && typeof value === 'number');
    expect(theirs.length).toBeGreaterThan(80);
    for (const [name, value] of theirs) expect(ours.get(name), name).toBe(value);
    for (const [name, value] of Object.entries(CKR)) expect(ckrName(value)).toBe(`CKR_${name}`);
  });

  it.each([
    ['PIN_INCORRECT', 'HsmError.PinIncorrect'],
    ['PIN_INVALID', 'HsmError.PinInvalid'],
    ['PIN_LEN_RANGE', 'HsmError.PinInvalid'],
    ['PIN_LOCKED', 'HsmError.PinLocked'],
    ['DEVICE_REMOVED', 'HsmError.DeviceRemoved'],
    ['TOKEN_NOT_PRESENT', 'HsmError.TokenNotPresent'],
    ['DEVICE_ERROR', 'HsmError.DeviceError'],
    ['GENERAL_ERROR', 'HsmError.DeviceError'],
    ['DEVICE_MEMORY', 'HsmError.DeviceError'],
    ['MECHANISM_INVALID', 'HsmError.MechanismInvalid'],
    ['MECHANISM_PARAM_INVALID', 'HsmError.MechanismInvalid'],
    ['ENCRYPTED_DATA_INVALID', 'InvalidCiphertext'],
    ['ENCRYPTED_DATA_LEN_RANGE', 'InvalidCiphertext'],
    ['AEAD_DECRYPT_FAILED', 'InvalidCiphertext'],
    ['KEY_HANDLE_INVALID', 'HsmError.ObjectNotFound'],
    ['USER_NOT_LOGGED_IN', 'Forbidden.KeyStoreState'],
    ['ARGUMENTS_BAD', 'HsmError.Generic'],
    ['SIGNATURE_INVALID', 'HsmError.Generic'],
  ])('maps CKR_%s to %s', (name, code) => {
    const value = knownReturnValues().find(([, n]) => n === name)?.[0];
    expect(value).toBeDefined();
    expect(ckrErrorCode(value ?? -1)).toBe(code);
  });

  it('only produces codes of the shared contract', () => {
    for (const [value] of knownReturnValues()) {
      expect(ERROR_CODES).toContain(ckrErrorCode(value));
    }
  });

  it('names unknown and vendor values by number and maps them to HsmError.Generic', () => {
    expect(ckrName(0x777)).toBe('CKR_0x00000777');
    expect(ckrName(0x80000123)).toBe('CKR_VENDOR_0x80000123');
    expect(ckrErrorCode(0x80000123)).toBe('HsmError.Generic');
  });

  it('builds short messages naming the operation and the CKR only', () => {
    expect(ckrMessage(CKR.PIN_INCORRECT, 'login')).toBe('login: the PIN is incorrect (CKR_PIN_INCORRECT)');
    expect(ckrMessage(0x1b, 'sign')).toBe('sign: the PKCS#11 module returned an error (CKR_ACTION_PROHIBITED)');
    expect(failureFromCkr(CKR.DEVICE_REMOVED, 'encrypt')).toEqual({
      code: 'HsmError.DeviceRemoved',
      ckr: 'CKR_DEVICE_REMOVED',
      message: 'encrypt: the token was removed (CKR_DEVICE_REMOVED)',
    });
  });
});
