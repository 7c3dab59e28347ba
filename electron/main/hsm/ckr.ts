/**
 * PKCS#11 return values: CKR_* number → name, → shared ErrorCode, → a short human message.
 * Messages name the CKR and the operation only, never argument values: a PIN or key material must
 * not be able to reach a log or a UI through an error.
 */
import type { ErrorCode } from '../../../shared/errors';
import type { HsmFailure } from './types';

/** The return values the hsm layer branches on. */
export const CKR = {
  OK: 0x0,
  SLOT_ID_INVALID: 0x3,
  GENERAL_ERROR: 0x5,
  FUNCTION_FAILED: 0x6,
  ARGUMENTS_BAD: 0x7,
  DEVICE_ERROR: 0x30,
  DEVICE_REMOVED: 0x32,
  KEY_HANDLE_INVALID: 0x60,
  MECHANISM_INVALID: 0x70,
  OBJECT_HANDLE_INVALID: 0x82,
  PIN_INCORRECT: 0xa0,
  SESSION_CLOSED: 0xb0,
  SESSION_HANDLE_INVALID: 0xb3,
  SESSION_EXISTS: 0xb6,
  SIGNATURE_INVALID: 0xc0,
  SIGNATURE_LEN_RANGE: 0xc1,
  TOKEN_NOT_PRESENT: 0xe0,
  USER_ALREADY_LOGGED_IN: 0x100,
  USER_NOT_LOGGED_IN: 0x101,
  CRYPTOKI_NOT_INITIALIZED: 0x190,
} as const;

const CKR_VENDOR_DEFINED = 0x80000000;

// prettier-ignore
const TABLE: ReadonlyArray<readonly [number, string]> = [
  [0x000, 'OK'], [0x001, 'CANCEL'], [0x002, 'HOST_MEMORY'], [0x003, 'SLOT_ID_INVALID'],
  [0x005, 'GENERAL_ERROR'], [0x006, 'FUNCTION_FAILED'], [0x007, 'ARGUMENTS_BAD'], [0x008, 'NO_EVENT'],
  [0x009, 'NEED_TO_CREATE_THREADS'], [0x00a, 'CANT_LOCK'], [0x010, 'ATTRIBUTE_READ_ONLY'],
  [0x011, 'ATTRIBUTE_SENSITIVE'], [0x012, 'ATTRIBUTE_TYPE_INVALID'], [0x013, 'ATTRIBUTE_VALUE_INVALID'],
  [0x01b, 'ACTION_PROHIBITED'], [0x020, 'DATA_INVALID'], [0x021, 'DATA_LEN_RANGE'], [0x030, 'DEVICE_ERROR'],
  [0x031, 'DEVICE_MEMORY'], [0x032, 'DEVICE_REMOVED'], [0x035, 'AEAD_DECRYPT_FAILED'],
  [0x040, 'ENCRYPTED_DATA_INVALID'], [0x041, 'ENCRYPTED_DATA_LEN_RANGE'], [0x050, 'FUNCTION_CANCELED'],
  [0x051, 'FUNCTION_NOT_PARALLEL'], [0x054, 'FUNCTION_NOT_SUPPORTED'], [0x060, 'KEY_HANDLE_INVALID'],
  [0x062, 'KEY_SIZE_RANGE'], [0x063, 'KEY_TYPE_INCONSISTENT'], [0x064, 'KEY_NOT_NEEDED'],
  [0x065, 'KEY_CHANGED'], [0x066, 'KEY_NEEDED'], [0x067, 'KEY_INDIGESTIBLE'],
  [0x068, 'KEY_FUNCTION_NOT_PERMITTED'], [0x069, 'KEY_NOT_WRAPPABLE'], [0x06a, 'KEY_UNEXTRACTABLE'],
  [0x070, 'MECHANISM_INVALID'], [0x071, 'MECHANISM_PARAM_INVALID'], [0x082, 'OBJECT_HANDLE_INVALID'],
  [0x090, 'OPERATION_ACTIVE'], [0x091, 'OPERATION_NOT_INITIALIZED'], [0x0a0, 'PIN_INCORRECT'],
  [0x0a1, 'PIN_INVALID'], [0x0a2, 'PIN_LEN_RANGE'], [0x0a3, 'PIN_EXPIRED'], [0x0a4, 'PIN_LOCKED'],
  [0x0b0, 'SESSION_CLOSED'], [0x0b1, 'SESSION_COUNT'], [0x0b3, 'SESSION_HANDLE_INVALID'],
  [0x0b4, 'SESSION_PARALLEL_NOT_SUPPORTED'], [0x0b5, 'SESSION_READ_ONLY'], [0x0b6, 'SESSION_EXISTS'],
  [0x0b7, 'SESSION_READ_ONLY_EXISTS'], [0x0b8, 'SESSION_READ_WRITE_SO_EXISTS'], [0x0c0, 'SIGNATURE_INVALID'],
  [0x0c1, 'SIGNATURE_LEN_RANGE'], [0x0d0, 'TEMPLATE_INCOMPLETE'], [0x0d1, 'TEMPLATE_INCONSISTENT'],
  [0x0e0, 'TOKEN_NOT_PRESENT'], [0x0e1, 'TOKEN_NOT_RECOGNIZED'], [0x0e2, 'TOKEN_WRITE_PROTECTED'],
  [0x0f0, 'UNWRAPPING_KEY_HANDLE_INVALID'], [0x0f1, 'UNWRAPPING_KEY_SIZE_RANGE'],
  [0x0f2, 'UNWRAPPING_KEY_TYPE_INCONSISTENT'], [0x100, 'USER_ALREADY_LOGGED_IN'],
  [0x101, 'USER_NOT_LOGGED_IN'], [0x102, 'USER_PIN_NOT_INITIALIZED'], [0x103, 'USER_TYPE_INVALID'],
  [0x104, 'USER_ANOTHER_ALREADY_LOGGED_IN'], [0x105, 'USER_TOO_MANY_TYPES'], [0x110, 'WRAPPED_KEY_INVALID'],
  [0x112, 'WRAPPED_KEY_LEN_RANGE'], [0x113, 'WRAPPING_KEY_HANDLE_INVALID'],
  [0x114, 'WRAPPING_KEY_SIZE_RANGE'], [0x115, 'WRAPPING_KEY_TYPE_INCONSISTENT'],
  [0x120, 'RANDOM_SEED_NOT_SUPPORTED'], [0x121, 'RANDOM_NO_RNG'], [0x130, 'DOMAIN_PARAMS_INVALID'],
  [0x140, 'CURVE_NOT_SUPPORTED'], [0x150, 'BUFFER_TOO_SMALL'], [0x160, 'SAVED_STATE_INVALID'],
  [0x170, 'INFORMATION_SENSITIVE'], [0x180, 'STATE_UNSAVEABLE'], [0x190, 'CRYPTOKI_NOT_INITIALIZED'],
  [0x191, 'CRYPTOKI_ALREADY_INITIALIZED'], [0x1a0, 'MUTEX_BAD'], [0x1a1, 'MUTEX_NOT_LOCKED'],
  [0x1b0, 'NEW_PIN_MODE'], [0x1b1, 'NEXT_OTP'], [0x1b5, 'EXCEEDED_MAX_ITERATIONS'],
  [0x1b6, 'FIPS_SELF_TEST_FAILED'], [0x1b7, 'LIBRARY_LOAD_FAILED'], [0x1b8, 'PIN_TOO_WEAK'],
  [0x1b9, 'PUBLIC_KEY_INVALID'], [0x200, 'FUNCTION_REJECTED'], [0x201, 'TOKEN_RESOURCE_EXCEEDED'],
  [0x202, 'OPERATION_CANCEL_FAILED'],
];

const NAMES = new Map<number, string>(TABLE);

/** Error code and human text for the return values that mean something to callers. */
const MAPPED: Readonly<Record<string, readonly [ErrorCode, string]>> = {
  PIN_INCORRECT: ['HsmError.PinIncorrect', 'the PIN is incorrect'],
  PIN_INVALID: ['HsmError.PinInvalid', 'the PIN contains invalid characters'],
  PIN_LEN_RANGE: ['HsmError.PinInvalid', 'the PIN length is outside the range the token accepts'],
  PIN_TOO_WEAK: ['HsmError.PinInvalid', 'the token rejects the new PIN as too weak'],
  PIN_LOCKED: ['HsmError.PinLocked', 'the PIN is locked'],
  DEVICE_REMOVED: ['HsmError.DeviceRemoved', 'the token was removed'],
  TOKEN_NOT_PRESENT: ['HsmError.TokenNotPresent', 'the token is not present'],
  SLOT_ID_INVALID: ['HsmError.TokenNotPresent', 'the slot no longer exists'],
  DEVICE_ERROR: ['HsmError.DeviceError', 'the device reported an error'],
  GENERAL_ERROR: ['HsmError.DeviceError', 'the module reported an unrecoverable error'],
  DEVICE_MEMORY: ['HsmError.DeviceError', 'the token is out of memory'],
  HOST_MEMORY: ['HsmError.DeviceError', 'the module is out of host memory'],
  MECHANISM_INVALID: ['HsmError.MechanismInvalid', 'the token does not support this mechanism'],
  MECHANISM_PARAM_INVALID: ['HsmError.MechanismInvalid', 'the token rejects the mechanism parameters'],
  ENCRYPTED_DATA_INVALID: ['InvalidCiphertext', 'the ciphertext is invalid'],
  ENCRYPTED_DATA_LEN_RANGE: ['InvalidCiphertext', 'the ciphertext length is invalid'],
  AEAD_DECRYPT_FAILED: ['InvalidCiphertext', 'the ciphertext failed authentication'],
  KEY_HANDLE_INVALID: ['HsmError.ObjectNotFound', 'the key object no longer exists'],
  OBJECT_HANDLE_INVALID: ['HsmError.ObjectNotFound', 'the object no longer exists'],
  // After a worker restart or a logout the token forgets the login: the key store is not connected.
  USER_NOT_LOGGED_IN: ['Forbidden.KeyStoreState', 'the token is not logged in'],
  KEY_FUNCTION_NOT_PERMITTED: ['Forbidden.KeyUsage', 'the key attributes do not permit this operation'],
  KEY_TYPE_INCONSISTENT: ['Forbidden.KeyUsage', 'the key type does not fit this mechanism'],
  FUNCTION_NOT_SUPPORTED: ['UnsupportedOperation', 'the module does not implement this function'],
  DATA_LEN_RANGE: ['InvalidParameter', 'the input length is outside the range of the mechanism'],
  DATA_INVALID: ['InvalidParameter', 'the input data is invalid for the mechanism'],
};

/** `CKR_PIN_INCORRECT` for 0xa0; unknown values by number. */
export function ckrName(rv: number): string {
  const name = NAMES.get(rv);
  if (name !== undefined) return `CKR_${name}`;
  const hex = `0x${rv.toString(16).padStart(8, '0')}`;
  return rv >= CKR_VENDOR_DEFINED ? `CKR_VENDOR_${hex}` : `CKR_${hex}`;
}

/** The shared error code for a return value; everything not listed is `HsmError.Generic`. */
export function ckrErrorCode(rv: number): ErrorCode {
  const name = NAMES.get(rv);
  const mapped = name === undefined ? undefined : MAPPED[name];
  return mapped ? mapped[0] : 'HsmError.Generic';
}

/** Short text: `<operation>: <what it means> (CKR_NAME)`; the operation is a method name. */
export function ckrMessage(rv: number, operation: string): string {
  const name = NAMES.get(rv);
  const mapped = name === undefined ? undefined : MAPPED[name];
  const text = mapped ? mapped[1] : 'the PKCS#11 module returned an error';
  return `${operation}: ${text} (${ckrName(rv)})`;
}

export function failureFromCkr(rv: number, operation: string): HsmFailure {
  return { code: ckrErrorCode(rv), ckr: ckrName(rv), message: ckrMessage(rv, operation) };
}

/** Every known return value, for tests. */
export function knownReturnValues(): ReadonlyArray<readonly [number, string]> {
  return TABLE;
}
