/**
 * The PKCS#11 numbers the hsm layer uses, written out as plain constants (values from the
 * PKCS#11 v2.40/v3.0 headers). Kept separate from pkcs11js so that templates, tables and tests can
 * be used without loading the native binding; a unit test cross-checks them against pkcs11js.
 */

export const CKA = {
  CLASS: 0x0,
  TOKEN: 0x1,
  PRIVATE: 0x2,
  LABEL: 0x3,
  APPLICATION: 0x10,
  VALUE: 0x11,
  TRUSTED: 0x86,
  KEY_TYPE: 0x100,
  ID: 0x102,
  SENSITIVE: 0x103,
  ENCRYPT: 0x104,
  DECRYPT: 0x105,
  WRAP: 0x106,
  UNWRAP: 0x107,
  SIGN: 0x108,
  SIGN_RECOVER: 0x109,
  VERIFY: 0x10a,
  VERIFY_RECOVER: 0x10b,
  DERIVE: 0x10c,
  MODULUS: 0x120,
  MODULUS_BITS: 0x121,
  PUBLIC_EXPONENT: 0x122,
  VALUE_LEN: 0x161,
  EXTRACTABLE: 0x162,
  LOCAL: 0x163,
  NEVER_EXTRACTABLE: 0x164,
  ALWAYS_SENSITIVE: 0x165,
  KEY_GEN_MECHANISM: 0x166,
  MODIFIABLE: 0x170,
  EC_PARAMS: 0x180,
  EC_POINT: 0x181,
  WRAP_WITH_TRUSTED: 0x210,
} as const;

export const CKO = { DATA: 0x0, PUBLIC_KEY: 0x2, PRIVATE_KEY: 0x3, SECRET_KEY: 0x4 } as const;

export const CKK = { RSA: 0x0, EC: 0x3, GENERIC_SECRET: 0x10, AES: 0x1f } as const;
/** PKCS#11 v3.0 key types pkcs11js 2.x does not export (Ed25519 keys). */
export const CKK_V3 = { EC_EDWARDS: 0x40 } as const;

export const CKU = { SO: 0x0, USER: 0x1 } as const;

/** Session states from C_GetSessionInfo. */
export const CKS = {
  RO_PUBLIC_SESSION: 0,
  RO_USER_FUNCTIONS: 1,
  RW_PUBLIC_SESSION: 2,
  RW_USER_FUNCTIONS: 3,
  RW_SO_FUNCTIONS: 4,
} as const;

/** Mask generation functions for OAEP/PSS parameters. */
export const CKG = { MGF1_SHA1: 0x1, MGF1_SHA256: 0x2 } as const;

/** CK_RSA_PKCS_OAEP_SOURCE_TYPE: the label (source data) is given explicitly (here: empty). */
export const CKZ_DATA_SPECIFIED = 0x1;

/** Flags of C_Initialize, C_OpenSession and CK_TOKEN_INFO. */
export const CKF = {
  OS_LOCKING_OK: 0x2,
  RW_SESSION: 0x2,
  SERIAL_SESSION: 0x4,
  TOKEN_PRESENT: 0x1,
  LOGIN_REQUIRED: 0x4,
  USER_PIN_INITIALIZED: 0x8,
  TOKEN_INITIALIZED: 0x400,
  USER_PIN_LOCKED: 0x40000,
  SO_PIN_LOCKED: 0x400000,
} as const;

/** CK_MECHANISM_INFO flag names, listed by listSlots. */
export const MECHANISM_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x1, 'HW'],
  [0x100, 'ENCRYPT'],
  [0x200, 'DECRYPT'],
  [0x400, 'DIGEST'],
  [0x800, 'SIGN'],
  [0x1000, 'SIGN_RECOVER'],
  [0x2000, 'VERIFY'],
  [0x4000, 'VERIFY_RECOVER'],
  [0x8000, 'GENERATE'],
  [0x10000, 'GENERATE_KEY_PAIR'],
  [0x20000, 'WRAP'],
  [0x40000, 'UNWRAP'],
  [0x80000, 'DERIVE'],
  [0x100000, 'EC_F_P'],
  [0x200000, 'EC_F_2M'],
  [0x400000, 'EC_ECPARAMETERS'],
  [0x800000, 'EC_NAMEDCURVE'],
  [0x1000000, 'EC_UNCOMPRESS'],
  [0x2000000, 'EC_COMPRESS'],
  [0x80000000, 'EXTENSION'],
];
