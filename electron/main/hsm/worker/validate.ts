/**
 * Argument validation for every worker method, run inside the worker right before pkcs11js.
 * pkcs11js can abort the whole process on malformed values (and passes empty buffers as NULL,
 * which the token answers with CKR_ARGUMENTS_BAD and an operation left active), so nothing reaches
 * it that has not been checked here: types, lengths, enumerations. Failures name the argument only.
 */
import { hsmFail, invalidArg } from './failure';
import type { HsmArgs, HsmMethod } from '../protocol';
import type {
  CipherMechanism,
  KeyMaterialSpec,
  KeyPolicy,
  PublicKeyMaterial,
  RsaPublicKeyMaterial,
  SignMechanism,
  SoObjectArgs,
  WrapMechanism,
} from '../types';

type Obj = Record<string, unknown>;

/** Upper bound for any data buffer; the contract's own limits are far lower (KMS plaintext is 6 KiB). */
export const MAX_DATA_BYTES = 1024 * 1024;
export const MAX_RANDOM_BYTES = 64 * 1024;
/** Pure EdDSA signs the message itself: as long as AsymmetricSign's ED25519_SHA_512 allows. */
export const MAX_EDDSA_MESSAGE_BYTES = 4096;
/** Data objects hold small records (the audit anchor is about 250 bytes), not files. */
export const MAX_DATA_OBJECT_BYTES = 4096;
/** PKCS#11 PINs are byte strings; CK_TOKEN_INFO.ulMaxPinLen of common tokens is at most 255. */
const MAX_PIN_BYTES = 255;
/** C0 controls and DEL: a NUL would silently truncate a C string inside the binding. */
function hasControlChars(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function obj(op: string, value: unknown): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidArg(op, 'arguments');
  return value as Obj;
}

function serial(op: string, o: Obj): string {
  const value = o.serial;
  // CK_TOKEN_INFO.serialNumber is 16 printable characters, space padded (we trim).
  if (typeof value !== 'string' || !/^[\x21-\x7e]([\x20-\x7e]{0,14}[\x21-\x7e])?$/.test(value)) {
    throw invalidArg(op, 'token serial');
  }
  return value;
}

function pin(op: string, o: Obj, key: string): string {
  const value = o[key];
  const ok =
    typeof value === 'string' &&
    value.length > 0 &&
    Buffer.byteLength(value, 'utf8') <= MAX_PIN_BYTES &&
    !hasControlChars(value);
  if (!ok) throw hsmFail('HsmError.PinInvalid', `${op}: the PIN is empty, too long or contains control characters`);
  return value;
}

function label(op: string, o: Obj): string {
  const value = o.label;
  const ok =
    typeof value === 'string' &&
    value.trim().length > 0 &&
    Buffer.byteLength(value, 'utf8') <= 32 &&
    !hasControlChars(value);
  if (!ok) throw invalidArg(op, 'label (1-32 bytes UTF-8, no control characters)');
  return value;
}

/** A CKA_ID in lowercase hex: Keyward's own are 16 bytes; officers' tokens (smart cards) use shorter ones, 1 byte for PIV. */
function objectId(op: string, o: Obj): string {
  const value = o.objectId;
  if (typeof value !== 'string' || !/^(?:[0-9a-f]{2}){1,128}$/.test(value)) throw invalidArg(op, 'object id');
  return value;
}

function bytes(op: string, o: Obj, key: string, min: number, max: number): Buffer {
  const value = o[key];
  if (!(value instanceof Uint8Array) || value.length < min || value.length > max) throw invalidArg(op, key);
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

function optionalBool(op: string, o: Obj, key: string): boolean | undefined {
  const value = o[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw invalidArg(op, key);
  return value;
}

function keyRef(op: string, raw: unknown): { serial: string; objectId: string } {
  const o = obj(op, raw);
  return { serial: serial(op, o), objectId: objectId(op, o) };
}

export function keyMaterialSpec(op: string, raw: unknown): KeyMaterialSpec {
  const o = obj(op, raw);
  switch (o.kind) {
    case 'AES':
      if (o.bits === 128 || o.bits === 192 || o.bits === 256) return { kind: 'AES', bits: o.bits };
      break;
    case 'HMAC':
      if (o.bits === 256 || o.bits === 512) return { kind: 'HMAC', bits: o.bits };
      break;
    case 'RSA':
      if (o.bits === 2048 || o.bits === 3072 || o.bits === 4096) return { kind: 'RSA', bits: o.bits };
      break;
    case 'EC':
      if (o.curve === 'P-256' || o.curve === 'secp256k1') return { kind: 'EC', curve: o.curve };
      break;
    case 'ED25519':
      return { kind: 'ED25519' };
  }
  throw invalidArg(op, 'key material spec');
}

export function keyPolicy(op: string, raw: unknown): KeyPolicy {
  const o = obj(op, raw);
  if (typeof o.wrapWithTrusted !== 'boolean' || typeof o.extractable !== 'boolean') throw invalidArg(op, 'key policy');
  // An extractable key must only leave the token wrapped under a trusted (domain) key.
  if (o.extractable && !o.wrapWithTrusted) throw invalidArg(op, 'key policy: extractable requires wrapWithTrusted');
  return { wrapWithTrusted: o.wrapWithTrusted, extractable: o.extractable };
}

function cipherMechanism(op: string, raw: unknown): CipherMechanism {
  const o = obj(op, raw);
  if (o.kind === 'RSA_OAEP_SHA1') return { kind: 'RSA_OAEP_SHA1' };
  if (o.kind === 'AES_GCM') {
    if (o.tagBits !== 128) throw invalidArg(op, 'GCM tag length');
    return { kind: 'AES_GCM', iv: bytes(op, o, 'iv', 12, 128), aad: bytes(op, o, 'aad', 0, 64 * 1024), tagBits: 128 };
  }
  throw invalidArg(op, 'cipher mechanism');
}

const SIGN_MECHANISMS: readonly SignMechanism[] = [
  'ECDSA',
  'RSA_PKCS_SHA256_DIGEST',
  'RSA_PSS_SHA256',
  'SHA256_HMAC',
  'SHA512_HMAC',
  'EDDSA',
];

function signMechanism(op: string, raw: unknown): SignMechanism {
  if (typeof raw !== 'string' || !(SIGN_MECHANISMS as readonly string[]).includes(raw)) {
    throw invalidArg(op, 'sign mechanism');
  }
  return raw as SignMechanism;
}

export function isHmac(mechanism: SignMechanism): boolean {
  return mechanism === 'SHA256_HMAC' || mechanism === 'SHA512_HMAC';
}

function signData(op: string, o: Obj, mechanism: SignMechanism): Buffer {
  // HMAC and EdDSA take the message (never empty: pkcs11js would pass NULL); the other asymmetric
  // mechanisms sign a SHA-256 digest computed by the caller.
  if (isHmac(mechanism)) return bytes(op, o, 'data', 1, MAX_DATA_BYTES);
  if (mechanism === 'EDDSA') return bytes(op, o, 'data', 1, MAX_EDDSA_MESSAGE_BYTES);
  return bytes(op, o, 'data', 32, 32);
}

function signArgs(op: string, raw: unknown): HsmArgs<'sign'> {
  const o = obj(op, raw);
  const mechanism = signMechanism(op, o.mechanism);
  return { ...keyRef(op, o), mechanism, data: signData(op, o, mechanism) };
}

function cipherArgs(op: string, raw: unknown): HsmArgs<'encrypt'> {
  const o = obj(op, raw);
  const mechanism = cipherMechanism(op, o.mechanism);
  // RSA-4096 OAEP takes at most 470 bytes of plaintext and gives 512 bytes of ciphertext.
  const max = mechanism.kind === 'RSA_OAEP_SHA1' ? 512 : MAX_DATA_BYTES;
  return { ...keyRef(op, o), mechanism, data: bytes(op, o, 'data', 1, max) };
}

function rsaPublicKey(op: string, raw: unknown): RsaPublicKeyMaterial {
  const o = obj(op, raw);
  if (o.kind !== 'RSA') throw invalidArg(op, 'public key');
  // 2048..4096-bit moduli; exponents are a few bytes (65537 is three).
  return { kind: 'RSA', modulus: bytes(op, o, 'modulus', 256, 512), publicExponent: bytes(op, o, 'publicExponent', 1, 8) };
}

function publicKeyMaterial(op: string, raw: unknown): PublicKeyMaterial {
  const o = obj(op, raw);
  if (o.kind === 'RSA') return rsaPublicKey(op, o);
  if (o.kind === 'EC' && (o.curve === 'P-256' || o.curve === 'secp256k1')) {
    const point = bytes(op, o, 'point', 65, 65);
    if (point[0] !== 0x04) throw invalidArg(op, 'EC point (uncompressed expected)');
    return { kind: 'EC', curve: o.curve, point };
  }
  if (o.kind === 'ED25519') return { kind: 'ED25519', publicKey: bytes(op, o, 'publicKey', 32, 32) };
  throw invalidArg(op, 'public key');
}

function wrapMechanism(op: string, raw: unknown): WrapMechanism {
  if (raw !== 'RSA_OAEP_SHA1' && raw !== 'AES_KEY_WRAP_PAD') throw invalidArg(op, 'wrap mechanism');
  return raw;
}

function wrappingObjectId(op: string, o: Obj, key: string): string {
  const value = o[key];
  if (typeof value !== 'string' || !/^[0-9a-f]{32}$/.test(value)) throw invalidArg(op, key);
  return value;
}

function soObjectArgs(op: string, raw: unknown): SoObjectArgs {
  const o = obj(op, raw);
  return { ...keyRef(op, o), soPin: pin(op, o, 'soPin'), label: label(op, o) };
}

/** Largest wrapped key: an RSA-4096 private key under AES key wrap with padding. */
const MAX_WRAPPED_BYTES = 8192;
/** RSA-OAEP output of the 2048-bit import key. */
const IMPORT_OAEP_BYTES = 256;
/** AES key wrap with padding: at least two 8-byte blocks, always whole blocks. */
const KWP_MIN_BYTES = 16;
const KWP_BLOCK_BYTES = 8;

/**
 * Imported material in the format its spec takes: one RSA-OAEP block for secret keys; that block
 * followed by an AES key wrap (with padding) of the PKCS#8 for RSA and EC key pairs. Ed25519 is not
 * importable.
 */
function importedMaterial(o: Obj, spec: KeyMaterialSpec): Buffer {
  const op = 'unwrapImportedKey';
  if (spec.kind === 'AES' || spec.kind === 'HMAC') return bytes(op, o, 'wrapped', IMPORT_OAEP_BYTES, IMPORT_OAEP_BYTES);
  if (spec.kind === 'ED25519') throw invalidArg(op, 'key material spec (Ed25519 keys cannot be imported)');
  const wrapped = bytes(op, o, 'wrapped', IMPORT_OAEP_BYTES + KWP_MIN_BYTES, IMPORT_OAEP_BYTES + MAX_WRAPPED_BYTES);
  if ((wrapped.length - IMPORT_OAEP_BYTES) % KWP_BLOCK_BYTES !== 0) throw invalidArg(op, 'wrapped (AES key wrap output is whole 8-byte blocks)');
  return wrapped;
}

type Validators = { [M in HsmMethod]: (raw: unknown) => HsmArgs<M> };

const none = (): Record<string, never> => ({});

export const validators: Validators = {
  open: (raw) => {
    const o = obj('open', raw);
    if (typeof o.path !== 'string' || o.path.length === 0 || o.path.length > 4096 || hasControlChars(o.path)) {
      throw invalidArg('open', 'module path');
    }
    return { path: o.path };
  },
  shutdown: none,
  libraryInfo: none,
  listSlots: none,
  initToken: (raw) => {
    const o = obj('initToken', raw);
    const slotId = o.slotId;
    if (slotId !== undefined && (typeof slotId !== 'number' || !Number.isSafeInteger(slotId) || slotId < 0)) {
      throw invalidArg('initToken', 'slot id');
    }
    return {
      slotId,
      soPin: pin('initToken', o, 'soPin'),
      label: label('initToken', o),
      reinitialize: optionalBool('initToken', o, 'reinitialize') ?? false,
    };
  },
  initUserPin: (raw) => {
    const o = obj('initUserPin', raw);
    return { serial: serial('initUserPin', o), soPin: pin('initUserPin', o, 'soPin'), userPin: pin('initUserPin', o, 'userPin') };
  },
  setUserPin: (raw) => {
    const o = obj('setUserPin', raw);
    return { serial: serial('setUserPin', o), oldPin: pin('setUserPin', o, 'oldPin'), newPin: pin('setUserPin', o, 'newPin') };
  },
  login: (raw) => {
    const o = obj('login', raw);
    return { serial: serial('login', o), userPin: pin('login', o, 'userPin') };
  },
  logout: (raw) => ({ serial: serial('logout', obj('logout', raw)) }),
  isLoggedIn: (raw) => ({ serial: serial('isLoggedIn', obj('isLoggedIn', raw)) }),
  generateKey: (raw) => {
    const o = obj('generateKey', raw);
    return {
      ...keyRef('generateKey', o),
      label: label('generateKey', o),
      spec: keyMaterialSpec('generateKey', o.spec),
      policy: keyPolicy('generateKey', o.policy),
    };
  },
  destroyKey: (raw) => keyRef('destroyKey', raw),
  keyExists: (raw) => keyRef('keyExists', raw),
  keyCheckValue: (raw) => keyRef('keyCheckValue', raw),
  getDataObjects: (raw) => {
    const o = obj('getDataObjects', raw);
    return { serial: serial('getDataObjects', o), label: label('getDataObjects', o) };
  },
  putDataObject: (raw) => {
    const o = obj('putDataObject', raw);
    return { serial: serial('putDataObject', o), label: label('putDataObject', o), value: bytes('putDataObject', o, 'value', 1, MAX_DATA_OBJECT_BYTES) };
  },
  describeKey: (raw) => keyRef('describeKey', raw),
  listObjects: (raw) => ({ serial: serial('listObjects', obj('listObjects', raw)) }),
  encrypt: (raw) => cipherArgs('encrypt', raw),
  decrypt: (raw) => cipherArgs('decrypt', raw),
  sign: (raw) => signArgs('sign', raw),
  verify: (raw) => {
    const o = obj('verify', raw);
    return { ...signArgs('verify', o), signature: bytes('verify', o, 'signature', 1, 1024) };
  },
  getPublicKey: (raw) => keyRef('getPublicKey', raw),
  generateRandom: (raw) => {
    const o = obj('generateRandom', raw);
    const length = o.length;
    if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 1 || length > MAX_RANDOM_BYTES) {
      throw invalidArg('generateRandom', 'length');
    }
    return { serial: serial('generateRandom', o), length };
  },
  generateImportKeyPair: (raw) => {
    const o = obj('generateImportKeyPair', raw);
    return { ...keyRef('generateImportKeyPair', o), label: label('generateImportKeyPair', o) };
  },
  unwrapImportedKey: (raw) => {
    const o = obj('unwrapImportedKey', raw);
    const spec = keyMaterialSpec('unwrapImportedKey', o.spec);
    return {
      ...keyRef('unwrapImportedKey', o),
      unwrappingObjectId: keyRef('unwrapImportedKey', { serial: o.serial, objectId: o.unwrappingObjectId }).objectId,
      wrapped: importedMaterial(o, spec),
      label: label('unwrapImportedKey', o),
      spec,
      policy: keyPolicy('unwrapImportedKey', o.policy),
    };
  },
  checkSoPin: (raw) => {
    const o = obj('checkSoPin', raw);
    return { serial: serial('checkSoPin', o), soPin: pin('checkSoPin', o, 'soPin') };
  },
  generateDomainKey: (raw) => soObjectArgs('generateDomainKey', raw),
  generateTransportKey: (raw) => soObjectArgs('generateTransportKey', raw),
  importTrustedWrapKey: (raw) => {
    const o = obj('importTrustedWrapKey', raw);
    return { ...soObjectArgs('importTrustedWrapKey', o), publicKey: rsaPublicKey('importTrustedWrapKey', o.publicKey) };
  },
  unwrapDomainKey: (raw) => {
    const o = obj('unwrapDomainKey', raw);
    return {
      ...soObjectArgs('unwrapDomainKey', o),
      unwrappingObjectId: wrappingObjectId('unwrapDomainKey', o, 'unwrappingObjectId'),
      // RSA-OAEP output of a 2048-bit transport key.
      wrapped: bytes('unwrapDomainKey', o, 'wrapped', 256, 256),
    };
  },
  wrapKey: (raw) => {
    const o = obj('wrapKey', raw);
    return {
      ...keyRef('wrapKey', o),
      wrappingObjectId: wrappingObjectId('wrapKey', o, 'wrappingObjectId'),
      mechanism: wrapMechanism('wrapKey', o.mechanism),
    };
  },
  unwrapKey: (raw) => {
    const o = obj('unwrapKey', raw);
    return {
      ...keyRef('unwrapKey', o),
      unwrappingObjectId: wrappingObjectId('unwrapKey', o, 'unwrappingObjectId'),
      mechanism: wrapMechanism('unwrapKey', o.mechanism),
      wrapped: bytes('unwrapKey', o, 'wrapped', 16, MAX_WRAPPED_BYTES),
      label: label('unwrapKey', o),
      spec: keyMaterialSpec('unwrapKey', o.spec),
      policy: keyPolicy('unwrapKey', o.policy),
    };
  },
  generateOwnerKey: (raw) => soObjectArgs('generateOwnerKey', raw),
  ownerSign: (raw) => {
    const o = obj('ownerSign', raw);
    return { ...keyRef('ownerSign', o), digest: bytes('ownerSign', o, 'digest', 32, 32) };
  },
  createPublicKey: (raw) => {
    const o = obj('createPublicKey', raw);
    return {
      ...keyRef('createPublicKey', o),
      label: label('createPublicKey', o),
      spec: keyMaterialSpec('createPublicKey', o.spec),
      material: publicKeyMaterial('createPublicKey', o.material),
    };
  },
};
