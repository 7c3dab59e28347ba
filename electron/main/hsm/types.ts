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
  | { kind: 'EC'; curve: 'P-256' | 'secp256k1' }
  /** Edwards curve 25519 (CKK_EC_EDWARDS), signing with pure EdDSA. */
  | { kind: 'ED25519' };

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

export type SignMechanism = 'ECDSA' | 'RSA_PKCS_SHA256_DIGEST' | 'RSA_PSS_SHA256' | 'SHA256_HMAC' | 'SHA512_HMAC' | 'EDDSA';

export type PublicKeyMaterial =
  | { kind: 'EC'; curve: 'P-256' | 'secp256k1'; point: Buffer }
  | { kind: 'RSA'; modulus: Buffer; publicExponent: Buffer }
  /** The 32-byte encoded point of RFC 8032. */
  | { kind: 'ED25519'; publicKey: Buffer };

/** Typed failure from the hsm layer; `code` is a shared ErrorCode, `ckr` the PKCS#11 return value name. */
export interface HsmFailure {
  code: string;
  ckr: string | null;
  message: string;
}

/* ---- Arguments and results of the client methods (plain data; Buffers survive the IPC hop). ---- */

export interface TokenRef {
  serial: string;
}

export interface KeyRef {
  serial: string;
  objectId: ObjectId;
}

export interface InitTokenArgs {
  /** Slot to initialize; omitted: the first slot whose token is not initialized yet (SoftHSM's spare slot). */
  slotId?: number;
  soPin: string;
  /** Up to 32 bytes UTF-8; padded with spaces as PKCS#11 requires. */
  label: string;
  /** Re-initializing erases every object on the token, so an initialized token is refused unless this is set. */
  reinitialize?: boolean;
}

export interface InitUserPinArgs {
  serial: string;
  soPin: string;
  userPin: string;
}

export interface SetUserPinArgs {
  serial: string;
  oldPin: string;
  newPin: string;
}

export interface LoginArgs {
  serial: string;
  userPin: string;
}

export interface GenerateKeyArgs {
  serial: string;
  objectId: ObjectId;
  label: string;
  spec: KeyMaterialSpec;
  policy: KeyPolicy;
}

export interface CipherArgs extends KeyRef {
  mechanism: CipherMechanism;
  data: Buffer;
}

export interface SignArgs extends KeyRef {
  mechanism: SignMechanism;
  /** The 32-byte SHA-256 digest for ECDSA/RSA mechanisms; the message itself for HMAC and EdDSA. */
  data: Buffer;
}

export interface VerifyArgs extends SignArgs {
  signature: Buffer;
}

export interface RandomArgs {
  serial: string;
  length: number;
}

export type KeyObjectClass = 'SECRET_KEY' | 'PRIVATE_KEY' | 'PUBLIC_KEY';

/** The security-relevant attributes of one object with a given CKA_ID, as the token reports them. */
export interface KeyObjectInfo {
  objectClass: KeyObjectClass;
  keyType: 'AES' | 'GENERIC_SECRET' | 'RSA' | 'EC' | 'EC_EDWARDS' | 'OTHER';
  label: string;
  token: boolean;
  private: boolean;
  local: boolean;
  /** Only secret and private keys carry these five; null on public keys. */
  sensitive: boolean | null;
  extractable: boolean | null;
  alwaysSensitive: boolean | null;
  neverExtractable: boolean | null;
  wrapWithTrusted: boolean | null;
}

/** One object on a token as listObjects reports it: enough to tell whose it is, nothing secret. */
export interface TokenObjectInfo {
  /** CKA_ID in lowercase hex ('' when the object has none, e.g. a data object). */
  objectId: string;
  objectClass: KeyObjectClass | 'OTHER';
  label: string;
  /** The token answers for none of its attributes: an empty object a crash inside its creation left. */
  unreadable?: boolean;
}

/** The private data objects (CKO_DATA) with one label: small values only the logged-in user reads or writes. */
export interface DataObjectRef {
  serial: string;
  label: string;
}

export interface PutDataObjectArgs extends DataObjectRef {
  value: Buffer;
}

/* ---- Cluster provisioning and key replication (wrap/unwrap between member tokens). ---- */

/**
 * How a key travels between member tokens: RSA-OAEP (SHA-1/MGF1-SHA1, the only OAEP SoftHSM 2.6
 * and p11-kit 0.24 both carry) under a member's transport key, for secret keys only; or AES key
 * wrap with padding under the cluster domain key, for secret and private keys, where the token
 * offers it (p11-kit 0.24 does not forward it).
 */
export type WrapMechanism = 'RSA_OAEP_SHA1' | 'AES_KEY_WRAP_PAD';

export interface RsaPublicKeyMaterial {
  kind: 'RSA';
  modulus: Buffer;
  publicExponent: Buffer;
}

/** An SO login on one token, for the call only. */
export interface SoPinArgs {
  serial: string;
  soPin: string;
}

/** Objects created under an SO login: PKCS#11 lets only the SO set CKA_TRUSTED, and the SO can create public objects only. */
export interface SoObjectArgs {
  serial: string;
  soPin: string;
  objectId: ObjectId;
  label: string;
}

export interface ImportTrustedWrapKeyArgs extends SoObjectArgs {
  publicKey: RsaPublicKeyMaterial;
}

export interface UnwrapDomainKeyArgs extends SoObjectArgs {
  /** CKA_ID of this token's transport key pair. */
  unwrappingObjectId: ObjectId;
  wrapped: Buffer;
}

export interface WrapKeyArgs {
  serial: string;
  /** Transport public key (RSA_OAEP_SHA1) or domain key (AES_KEY_WRAP_PAD). */
  wrappingObjectId: ObjectId;
  /** The secret or private key to wrap. */
  objectId: ObjectId;
  mechanism: WrapMechanism;
}

export interface UnwrapKeyArgs {
  serial: string;
  unwrappingObjectId: ObjectId;
  mechanism: WrapMechanism;
  wrapped: Buffer;
  /** Identity and policy of the key created from the wrapped bytes (same as at generation). */
  objectId: ObjectId;
  label: string;
  spec: KeyMaterialSpec;
  policy: KeyPolicy;
}


/** Signs a SHA-256 digest with the cluster owner key (a public object: no login needed). */
export interface OwnerSignArgs {
  serial: string;
  objectId: ObjectId;
  digest: Buffer;
}

export interface OwnerSignature {
  /** Raw r||s (64 bytes for P-256), WebCrypto's ECDSA format. */
  signature: Buffer;
  publicKey: PublicKeyMaterial;
}

/** Re-creates the public half of a replicated key pair on another member. */
export interface CreatePublicKeyArgs {
  serial: string;
  objectId: ObjectId;
  label: string;
  spec: KeyMaterialSpec;
  material: PublicKeyMaterial;
}

/* ---- Import of external key material (GetParametersForImport / ImportKeyMaterial). ---- */
/** An RSA-2048 key pair inside the token that only unwraps: its public half is handed out for wrapping. */
export interface ImportKeyPairArgs {
  serial: string;
  objectId: ObjectId;
  label: string;
}

/**
 * Unwraps imported material with an import key pair into a new CMK object. The spec decides the
 * format: AES and HMAC material is RSA-OAEP (SHA-1) under the import key (256 bytes); an RSA or EC
 * key pair is RSA_AES_KEY_WRAP_SHA_1: 256 bytes of RSA-OAEP around an ephemeral AES-256 key, then
 * the PKCS#8 private key under that key with AES key wrap with padding. A key pair's public half is
 * derived inside the worker and the pair proven by a sign/verify round trip before the call returns.
 */
export interface UnwrapImportedKeyArgs {
  serial: string;
  /** CKA_ID of the import key pair. */
  unwrappingObjectId: ObjectId;
  wrapped: Buffer;
  objectId: ObjectId;
  label: string;
  /** AES, HMAC, RSA or EC (no Ed25519); the material must fit it (length, modulus size, curve). */
  spec: KeyMaterialSpec;
  policy: KeyPolicy;
}
