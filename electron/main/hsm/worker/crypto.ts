/**
 * Cryptographic operations on token keys. The *Init calls are synchronous and cheap. The data
 * calls are synchronous too where they take microseconds (AES-GCM, HMAC, ECDSA, EdDSA on up to
 * INLINE_MAX_BYTES): handing those to libuv's thread pool and back cost more CPU than the call
 * itself. RSA, and anything larger, uses the async variants so it does not stall the worker.
 * Mechanism parameters are built here from validated values only (a malformed parameter can abort
 * the process inside the binding).
 */
import { CKR } from '../ckr';
import { CKG, CKK, CKK_V3, CKZ_DATA_SPECIFIED } from './constants';
import { sha256DigestInfo } from '../der';
import { hsmFail } from './failure';
import { CKM, CKM_V3 } from '../mechanisms';
import type { HsmArgs } from '../protocol';
import type { CipherMechanism, SignMechanism } from '../types';
import { isHmac } from './validate';
import { notFound, requireKeyType, withKey } from './keys';
import type { GcmParams, ObjectHandle, PKCS11, RsaOAEP, RsaPSS } from './pkcs11';
import { ckrOf, pkcs11js } from './pkcs11';
import type { KeyHandles, TokenRegistry } from './tokens';

type Pkcs11Mechanism = Parameters<PKCS11['C_EncryptInit']>[1];

/** Largest RSA modulus we generate (4096 bits) in bytes: output size of RSA operations. */
const RSA_MAX_BYTES = 512;
const GCM_TAG_BYTES = 16;
/** Largest input run inline: AES-GCM at well over 100 MB/s takes tens of microseconds on it. */
const INLINE_MAX_BYTES = 16 * 1024;

/**
 * A network HSM (the p11-kit client, given its server's address in this worker's environment) may
 * take a network round trip or hang: its calls stay asynchronous, so a stalled member holds one
 * libuv thread rather than this worker's whole event loop.
 */
const LOCAL_MODULE = process.env.P11_KIT_SERVER_ADDRESS === undefined;

/** Whether a data call with this key type and input runs inline (see the file comment). */
function runsInline(keyType: number, input: Buffer): boolean {
  return LOCAL_MODULE && keyType !== CKK.RSA && input.length <= INLINE_MAX_BYTES;
}

function cipherMechanism(mechanism: CipherMechanism): Pkcs11Mechanism {
  const P = pkcs11js();
  if (mechanism.kind === 'AES_GCM') {
    const parameter: GcmParams = {
      // The v2.40 layout with ulIvBits is what SoftHSM 2.6 and current tokens expect.
      type: P.CK_PARAMS_AES_GCM_v240,
      iv: mechanism.iv,
      ivBits: mechanism.iv.length * 8,
      // An empty AAD buffer would be passed as a NULL pointer with length 0 anyway; say so.
      aad: mechanism.aad.length > 0 ? mechanism.aad : undefined,
      tagBits: mechanism.tagBits,
    };
    return { mechanism: CKM.AES_GCM, parameter };
  }
  // SoftHSM 2.6.1 implements OAEP with SHA-1/MGF1-SHA1 only (SHA-256 gives CKR_ARGUMENTS_BAD).
  const parameter: RsaOAEP = { type: P.CK_PARAMS_RSA_OAEP, hashAlg: CKM.SHA_1, mgf: CKG.MGF1_SHA1, source: CKZ_DATA_SPECIFIED };
  return { mechanism: CKM.RSA_PKCS_OAEP, parameter };
}

function cipherKeyType(mechanism: CipherMechanism): number {
  return mechanism.kind === 'AES_GCM' ? CKK.AES : CKK.RSA;
}

function cipherKey(handles: KeyHandles, mechanism: CipherMechanism, direction: 'encrypt' | 'decrypt'): ObjectHandle {
  requireKeyType(handles, cipherKeyType(mechanism), direction);
  const handle =
    mechanism.kind === 'AES_GCM' ? handles.secret : direction === 'encrypt' ? handles.public : handles.private;
  if (!handle) throw notFound(direction, mechanism.kind === 'AES_GCM' ? 'secret key' : 'RSA key');
  return handle;
}

export async function encrypt(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'encrypt'>): Promise<Buffer> {
  const token = tokens.get(args.serial);
  return withKey(token, args.objectId, 'encrypt', async (session, handles) => {
    const key = cipherKey(handles, args.mechanism, 'encrypt');
    const size = args.mechanism.kind === 'AES_GCM' ? args.data.length + GCM_TAG_BYTES : RSA_MAX_BYTES;
    p11.C_EncryptInit(session, cipherMechanism(args.mechanism), key);
    if (runsInline(cipherKeyType(args.mechanism), args.data)) return p11.C_Encrypt(session, args.data, Buffer.alloc(size));
    return p11.C_EncryptAsync(session, args.data, Buffer.alloc(size));
  });
}

export async function decrypt(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'decrypt'>): Promise<Buffer> {
  if (args.mechanism.kind === 'AES_GCM' && args.data.length < GCM_TAG_BYTES) {
    throw hsmFail('InvalidCiphertext', 'decrypt: the ciphertext is shorter than the authentication tag');
  }
  const token = tokens.get(args.serial);
  try {
    return await withKey(token, args.objectId, 'decrypt', async (session, handles) => {
      const key = cipherKey(handles, args.mechanism, 'decrypt');
      // SoftHSM checks the output room against the input length before it strips tag or padding.
      const size = args.mechanism.kind === 'AES_GCM' ? args.data.length : RSA_MAX_BYTES;
      p11.C_DecryptInit(session, cipherMechanism(args.mechanism), key);
      if (runsInline(cipherKeyType(args.mechanism), args.data)) return p11.C_Decrypt(session, args.data, Buffer.alloc(size));
      return p11.C_DecryptAsync(session, args.data, Buffer.alloc(size));
    });
  } catch (error) {
    // SoftHSM reports a failed GCM tag check or OAEP decoding as CKR_GENERAL_ERROR (its OpenSSL
    // call failed); on valid input the same call succeeds, so here it means a bad ciphertext.
    if (ckrOf(error) === CKR.GENERAL_ERROR) {
      throw hsmFail('InvalidCiphertext', 'decrypt: the ciphertext failed authentication or decoding', 'CKR_GENERAL_ERROR');
    }
    throw error;
  }
}

interface SignPlan {
  mechanism: Pkcs11Mechanism;
  input: Buffer;
  outputSize: number;
  key: 'secret' | 'private';
  keyType: number;
}

function signPlan(mechanism: SignMechanism, data: Buffer): SignPlan {
  const P = pkcs11js();
  switch (mechanism) {
    case 'ECDSA':
      // CKM_ECDSA signs the caller's digest and returns raw r||s (64 bytes for 256-bit curves).
      return { mechanism: { mechanism: CKM.ECDSA }, input: data, outputSize: 132, key: 'private', keyType: CKK.EC };
    case 'RSA_PKCS_SHA256_DIGEST':
      // Raw CKM_RSA_PKCS pads whatever it gets: we hand it the DER DigestInfo for SHA-256.
      return {
        mechanism: { mechanism: CKM.RSA_PKCS },
        input: sha256DigestInfo(data),
        outputSize: RSA_MAX_BYTES,
        key: 'private',
        keyType: CKK.RSA,
      };
    case 'RSA_PSS_SHA256': {
      const parameter: RsaPSS = { type: P.CK_PARAMS_RSA_PSS, hashAlg: CKM.SHA256, mgf: CKG.MGF1_SHA256, saltLen: 32 };
      return {
        mechanism: { mechanism: CKM.RSA_PKCS_PSS, parameter },
        input: data,
        outputSize: RSA_MAX_BYTES,
        key: 'private',
        keyType: CKK.RSA,
      };
    }
    case 'SHA256_HMAC':
      return { mechanism: { mechanism: CKM.SHA256_HMAC }, input: data, outputSize: 32, key: 'secret', keyType: CKK.GENERIC_SECRET };
    case 'SHA512_HMAC':
      return { mechanism: { mechanism: CKM.SHA512_HMAC }, input: data, outputSize: 64, key: 'secret', keyType: CKK.GENERIC_SECRET };
    case 'EDDSA':
      // Pure Ed25519 (no parameter): the token hashes the message itself with SHA-512; 64-byte R||S.
      return { mechanism: { mechanism: CKM_V3.EDDSA }, input: data, outputSize: 64, key: 'private', keyType: CKK_V3.EC_EDWARDS };
  }
}

export async function sign(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'sign'>): Promise<Buffer> {
  const token = tokens.get(args.serial);
  const plan = signPlan(args.mechanism, args.data);
  return withKey(token, args.objectId, 'sign', async (session, handles) => {
    const key = handles[plan.key];
    if (!key) throw notFound('sign', isHmac(args.mechanism) ? 'secret key' : 'private key');
    requireKeyType(handles, plan.keyType, 'sign');
    p11.C_SignInit(session, plan.mechanism, key);
    if (runsInline(plan.keyType, plan.input)) return p11.C_Sign(session, plan.input, Buffer.alloc(plan.outputSize));
    return p11.C_SignAsync(session, plan.input, Buffer.alloc(plan.outputSize));
  });
}

/** A wrong signature is an answer, not an error: CKR_SIGNATURE_INVALID/LEN_RANGE give false. */
export async function verify(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'verify'>): Promise<boolean> {
  const token = tokens.get(args.serial);
  const plan = signPlan(args.mechanism, args.data);
  try {
    return await withKey(token, args.objectId, 'verify', async (session, handles) => {
      const key = plan.key === 'secret' ? handles.secret : handles.public;
      if (!key) throw notFound('verify', isHmac(args.mechanism) ? 'secret key' : 'public key');
      requireKeyType(handles, plan.keyType, 'verify');
      p11.C_VerifyInit(session, plan.mechanism, key);
      if (runsInline(plan.keyType, plan.input)) return p11.C_Verify(session, plan.input, args.signature);
      return p11.C_VerifyAsync(session, plan.input, args.signature);
    });
  } catch (error) {
    const rv = ckrOf(error);
    if (rv === CKR.SIGNATURE_INVALID || rv === CKR.SIGNATURE_LEN_RANGE) return false;
    throw error;
  }
}

/** Needs no login: C_GenerateRandom works in a public session. */
export async function generateRandom(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'generateRandom'>): Promise<Buffer> {
  const token = tokens.get(args.serial);
  return token.withSession((session) => Buffer.from(p11.C_GenerateRandom(session, Buffer.alloc(args.length))));
}
