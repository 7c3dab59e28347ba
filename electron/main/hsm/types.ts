/**
 * The hsm/ layer's public surface. Everything PKCS#11 runs in a separate worker process per module
 * (pkcs11js can abort the process on malformed arguments, and SoftHSM2/p11-kit read their config
 * from the environment at load time), so every call here is async and every value is plain data.
 */

/** A PKCS#11 library plus the environment it must be loaded with (SOFTHSM2_CONF, P11_KIT_SERVER_ADDRESS). */
export interface ModuleSpec {
  path: string;
  env: Record<string, string>;
}

export interface LibraryInfo {
  description: string;
  manufacturer: string;
  cryptokiVersion: string;
  libraryVersion: string;
}

export interface TokenDescription {
  label: string;
  serial: string;
  model: string;
  manufacturer: string;
  initialized: boolean;
  userPinInitialized: boolean;
  loginRequired: boolean;
  userPinLocked: boolean;
  soPinLocked: boolean;
}

export interface MechanismDescription {
  name: string;
  type: number;
  minKeySize: number;
  maxKeySize: number;
  flags: string[];
}

export interface SlotDescription {
  slotId: number;
  description: string;
  tokenPresent: boolean;
  token: TokenDescription | null;
  mechanisms: MechanismDescription[];
}

/** What kind of key material to generate; templates are built inside the hsm layer only. */
export type KeyMaterialSpec =
  | { kind: 'AES'; bits: 128 | 192 | 256 }
  | { kind: 'HMAC'; bits: 256 | 512 }
  | { kind: 'RSA'; bits: 2048 | 3072 | 4096 }
  | { kind: 'EC'; curve: 'P-256' | 'secp256k1' };

/** Attribute policy of generated keys: always sensitive and non-extractable in plaintext. */
export interface KeyPolicy {
  /** CKA_WRAP_WITH_TRUSTED: only a CKA_TRUSTED key (the cluster domain key) may wrap it. */
  wrapWithTrusted: boolean;
  /** CKA_EXTRACTABLE; only true together with wrapWithTrusted. */
  extractable: boolean;
}

/** CKA_ID of a key object: the 16 bytes of the key version UUID, as 32 lowercase hex chars. */
export type ObjectId = string;

export type CipherMechanism =
  | { kind: 'AES_GCM'; iv: Buffer; aad: Buffer; tagBits: 128 }
  | { kind: 'RSA_OAEP_SHA1' };

export type SignMechanism = 'ECDSA' | 'RSA_PKCS_SHA256_DIGEST' | 'RSA_PSS_SHA256' | 'SHA256_HMAC' | 'SHA512_HMAC';

export type PublicKeyMaterial =
  | { kind: 'EC'; curve: 'P-256' | 'secp256k1'; point: Buffer }
  | { kind: 'RSA'; modulus: Buffer; publicExponent: Buffer };

/** Typed failure from the hsm layer; `code` is a shared ErrorCode, `ckr` the PKCS#11 return value name. */
export interface HsmFailure {
  code: string;
  ckr: string | null;
  message: string;
}
