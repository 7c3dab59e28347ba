/**
 * Key check values (KCV): a short value the HSM derives from a key, so the copies of one key on
 * several tokens can be compared without the material ever leaving an HSM:
 * - AES: the first 8 bytes of AES-ECB(key, 16 zero bytes), the usual KCV construction (AES-ECB
 *   is one of the AES mechanisms p11-kit 0.24 forwards, so network members answer it too);
 * - generic secrets (HMAC keys): the first 8 bytes of HMAC-SHA256(key, a fixed label);
 * - key pairs: the private key signs a fixed digest that the token's public key must verify (the
 *   private half is usable and belongs to the public half), and the value is the first 8 bytes of
 *   SHA-256 over the public key, so equal values mean equal pairs.
 * A copy whose material is damaged (an object created but never given its value, as a process
 * killed in the middle of C_UnwrapKey leaves it) fails here with the token's error.
 */
import { createHash } from 'node:crypto';
import { CKA, CKK, CKK_V3 } from './constants';
import { sha256DigestInfo } from '../der';
import { hsmFail } from './failure';
import { CKM, CKM_V3, mechanismName } from '../mechanisms';
import type { HsmArgs } from '../protocol';
import { notFound } from './keys';
import { CKR } from '../ckr';
import type { ObjectHandle, PKCS11, Session } from './pkcs11';
import { ckrOf } from './pkcs11';
import type { KeyHandles, TokenRegistry, TokenState } from './tokens';

const CHECK_VALUE_BYTES = 8;
const HMAC_CHECK_LABEL = Buffer.from('Keyward key check value');
const PAIR_CHECK_DIGEST = createHash('sha256').update('Keyward key pair check').digest();
const RSA_MAX_BYTES = 512;

/** Mechanisms each token lists, asked once per token (a network round trip through p11-kit). */
const offered = new WeakMap<TokenState, ReadonlySet<number>>();

function requireOffered(p11: PKCS11, token: TokenState, mechanism: number, name: string): void {
  let mechanisms = offered.get(token);
  if (!mechanisms) {
    mechanisms = new Set(p11.C_GetMechanismList(token.slot));
    offered.set(token, mechanisms);
  }
  // Not a verdict on the copy: this token cannot compute the value (presence is all we learn).
  if (!mechanisms.has(mechanism)) throw hsmFail('UnsupportedOperation', `keyCheckValue: the token does not offer ${name}`);
}

export async function keyCheckValue(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'keyCheckValue'>): Promise<Buffer> {
  const token = tokens.get(args.serial);
  token.requireLogin('keyCheckValue');
  try {
    // Asks the token, not the handle cache: the check is about what is on the token now.
    const value = await token.withSession(async (session) => {
      const handles = token.find(session, args.objectId);
      if (handles.all.length === 0) throw notFound('keyCheckValue');
      if (handles.secret) return secretCheckValue(p11, token, session, handles.secret, handles.keyType);
      return pairCheckValue(p11, token, session, handles);
    });
    return value.subarray(0, CHECK_VALUE_BYTES);
  } catch (error) {
    // The mechanism is offered (checked before every *Init), so the token refuses this key: SoftHSM2
    // answers CKR_MECHANISM_INVALID for an AES key object whose value has no valid AES key length.
    if (ckrOf(error) !== CKR.MECHANISM_INVALID) throw error;
    throw hsmFail('HsmError.Generic', 'keyCheckValue: the token refuses the key for a mechanism it offers; its material is unusable', 'CKR_MECHANISM_INVALID');
  }
}

async function secretCheckValue(p11: PKCS11, token: TokenState, session: Session, key: ObjectHandle, keyType: number | null): Promise<Buffer> {
  if (keyType === CKK.AES) {
    requireOffered(p11, token, CKM.AES_ECB, 'CKM_AES_ECB');
    p11.C_EncryptInit(session, { mechanism: CKM.AES_ECB }, key);
    return p11.C_EncryptAsync(session, Buffer.alloc(16), Buffer.alloc(16));
  }
  if (keyType === CKK.GENERIC_SECRET) {
    requireOffered(p11, token, CKM.SHA256_HMAC, 'CKM_SHA256_HMAC');
    p11.C_SignInit(session, { mechanism: CKM.SHA256_HMAC }, key);
    return p11.C_SignAsync(session, HMAC_CHECK_LABEL, Buffer.alloc(32));
  }
  throw hsmFail('UnsupportedOperation', 'keyCheckValue: unsupported secret key type');
}

async function pairCheckValue(p11: PKCS11, token: TokenState, session: Session, handles: KeyHandles): Promise<Buffer> {
  // Half a pair is a damaged copy (e.g. cut between C_UnwrapKey and the public key's creation).
  if (!handles.private || !handles.public) {
    throw hsmFail('HsmError.Generic', `keyCheckValue: only the ${handles.private ? 'private' : 'public'} half of the key pair is on the token`);
  }
  const { mechanism, publicAttributes } = pairPlan(handles.keyType);
  requireOffered(p11, token, mechanism, mechanismName(mechanism));
  // A signature the public half rejects (false, or CKR_SIGNATURE_INVALID) means a broken pair.
  if (!(await pairSignsAndVerifies(p11, session, handles.private, handles.public, handles.keyType))) {
    throw hsmFail('HsmError.Generic', 'keyCheckValue: the private key does not match its public key');
  }
  const hash = createHash('sha256');
  for (const attribute of p11.C_GetAttributeValue(session, handles.public, publicAttributes.map((type) => ({ type })))) {
    hash.update(attribute.value);
  }
  return hash.digest();
}

/**
 * The private half signs a fixed input and the public half verifies it, inside the token: true when
 * they belong together (also the proof an imported key pair gives before it is used).
 */
export async function pairSignsAndVerifies(
  p11: PKCS11,
  session: Session,
  privateKey: ObjectHandle,
  publicKey: ObjectHandle,
  keyType: number | null,
): Promise<boolean> {
  const { mechanism, input } = pairPlan(keyType);
  p11.C_SignInit(session, { mechanism }, privateKey);
  const signature = await p11.C_SignAsync(session, input, Buffer.alloc(RSA_MAX_BYTES));
  p11.C_VerifyInit(session, { mechanism }, publicKey);
  try {
    return await p11.C_VerifyAsync(session, input, signature);
  } catch (error) {
    const rv = ckrOf(error);
    if (rv === CKR.SIGNATURE_INVALID || rv === CKR.SIGNATURE_LEN_RANGE) return false;
    throw error;
  }
}

function pairPlan(keyType: number | null): { mechanism: number; input: Buffer; publicAttributes: number[] } {
  if (keyType === CKK.EC) return { mechanism: CKM.ECDSA, input: PAIR_CHECK_DIGEST, publicAttributes: [CKA.EC_PARAMS, CKA.EC_POINT] };
  // Pure EdDSA signs the input itself; the digest is as good a fixed message as any.
  if (keyType === CKK_V3.EC_EDWARDS) return { mechanism: CKM_V3.EDDSA, input: PAIR_CHECK_DIGEST, publicAttributes: [CKA.EC_PARAMS, CKA.EC_POINT] };
  if (keyType === CKK.RSA) {
    return { mechanism: CKM.RSA_PKCS, input: sha256DigestInfo(PAIR_CHECK_DIGEST), publicAttributes: [CKA.MODULUS, CKA.PUBLIC_EXPONENT] };
  }
  throw hsmFail('UnsupportedOperation', 'keyCheckValue: unsupported key pair type');
}
