/**
 * Import of an RSA or EC private key (RSA_AES_KEY_WRAP_SHA_1, as AWS KMS defines it) inside the
 * worker. SoftHSM2 2.6 has no CKM_RSA_AES_KEY_WRAP, so it runs as two unwraps: the RSA-OAEP block
 * becomes an ephemeral AES key (a session object that can only unwrap, destroyed right after), and
 * the rest becomes the sensitive private key under CKM_AES_KEY_WRAP_PAD. The public half is then
 * derived (RSA: the private key object carries modulus and exponent; EC: recovered from two ECDSA
 * signatures, see ec-public-key-recovery.ts), created next to it, and the pair must sign and verify
 * inside the token. Anything that fails destroys every object the call made: bad material leaves
 * nothing on the token.
 */
import { CKR, ckrName } from '../ckr';
import { curveFromEcParams } from '../der';
import { recoverPublicKey } from '../ec-public-key-recovery';
import { CKM } from '../mechanisms';
import type { HsmArgs } from '../protocol';
import type { KeyMaterialSpec, PublicKeyMaterial } from '../types';
import { pairSignsAndVerifies } from './check-value';
import { publicKeyTemplate, unwrapTemplate } from './cluster-templates';
import { CKA, CKG, CKK, CKO, CKZ_DATA_SPECIFIED } from './constants';
import { hsmFail } from './failure';
import type { ObjectHandle, PKCS11, RsaOAEP, Session } from './pkcs11';
import { ckrOf, pkcs11js } from './pkcs11';
import type { TemplateAttribute } from './templates';
import { keyTypeOf } from './templates';

/** RSA-OAEP output of the 2048-bit import key: the ephemeral AES key. */
const WRAPPED_AES_KEY_BYTES = 256;

/** What C_UnwrapKey answers when the OAEP block is not for this import key, or not an AES key. */
const BAD_AES_KEY_CKRS: ReadonlySet<number> = new Set([0x005, 0x020, 0x021, 0x040, 0x041, 0x062, 0x110, 0x112]);
/**
 * What it answers when the AES key wrap fails its integrity check (SoftHSM2: CKR_GENERAL_ERROR) or
 * the PKCS#8 inside is not a key of the template's type (CKR_FUNCTION_FAILED), or either is malformed.
 */
const BAD_PRIVATE_KEY_CKRS: ReadonlySet<number> = new Set([0x005, 0x006, 0x013, 0x062, 0x110, 0x112, 0x160, 0x162]);
/** What signing with the new key answers when its material is unusable. */
const BAD_PAIR_CKRS: ReadonlySet<number> = new Set([CKR.GENERAL_ERROR, CKR.FUNCTION_FAILED]);

/** Fixed digests the imported EC key signs so that its public point can be recovered. */
const RECOVERY_DIGESTS = [Buffer.alloc(32, 0x5a), Buffer.alloc(32, 0xa5)];

/** Can only unwrap, lives in the session, never leaves the token: the key that carries the PKCS#8 in. */
const EPHEMERAL_AES_TEMPLATE: TemplateAttribute[] = [
  { type: CKA.CLASS, value: CKO.SECRET_KEY },
  { type: CKA.KEY_TYPE, value: CKK.AES },
  { type: CKA.TOKEN, value: false },
  { type: CKA.PRIVATE, value: true },
  { type: CKA.SENSITIVE, value: true },
  { type: CKA.EXTRACTABLE, value: false },
  { type: CKA.UNWRAP, value: true },
  { type: CKA.WRAP, value: false },
  { type: CKA.ENCRYPT, value: false },
  { type: CKA.DECRYPT, value: false },
  { type: CKA.SIGN, value: false },
  { type: CKA.VERIFY, value: false },
  { type: CKA.DERIVE, value: false },
];

type KeyPairSpec = Extract<KeyMaterialSpec, { kind: 'RSA' } | { kind: 'EC' }>;

function invalidMaterial(message: string, rv: number | null = null): Error {
  return hsmFail('InvalidKeyMaterial', `unwrapImportedKey: ${message}`, rv === null ? null : ckrName(rv));
}

/** Runs `step`; a token answer in `codes` means the material is bad, anything else is passed on. */
async function judgingMaterial<T>(codes: ReadonlySet<number>, message: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const rv = ckrOf(error);
    if (rv !== null && codes.has(rv)) throw invalidMaterial(message, rv);
    throw error;
  }
}

/**
 * Unwraps `args.wrapped` into the private key `args.objectId` (none exists yet) and gives it its
 * public half, on a session of the logged-in token. `unwrapping` is the import key pair's private key.
 */
export async function unwrapImportedKeyPair(
  p11: PKCS11,
  session: Session,
  unwrapping: ObjectHandle,
  args: HsmArgs<'unwrapImportedKey'> & { spec: KeyPairSpec },
): Promise<void> {
  const privateKey = await unwrapPrivateKey(p11, session, unwrapping, args);
  const made: ObjectHandle[] = [privateKey];
  try {
    const material = await publicHalf(p11, session, privateKey, args.spec);
    const publicKey = p11.C_CreateObject(session, publicKeyTemplate(args.spec, material, args));
    made.push(publicKey);
    const matches = await judgingMaterial(BAD_PAIR_CKRS, 'the private key cannot sign', () =>
      pairSignsAndVerifies(p11, session, privateKey, publicKey, keyTypeOf(args.spec)),
    );
    if (!matches) throw invalidMaterial('the private key does not match its public key');
  } catch (error) {
    for (const handle of made) destroyQuietly(p11, session, handle);
    throw error;
  }
}

async function unwrapPrivateKey(p11: PKCS11, session: Session, unwrapping: ObjectHandle, args: HsmArgs<'unwrapImportedKey'>): Promise<ObjectHandle> {
  const parameter: RsaOAEP = { type: pkcs11js().CK_PARAMS_RSA_OAEP, hashAlg: CKM.SHA_1, mgf: CKG.MGF1_SHA1, source: CKZ_DATA_SPECIFIED };
  const aesKey = await judgingMaterial(BAD_AES_KEY_CKRS, 'the RSA-OAEP block is not an AES key wrapped under this import key', () =>
    p11.C_UnwrapKeyAsync(
      session,
      { mechanism: CKM.RSA_PKCS_OAEP, parameter },
      unwrapping,
      args.wrapped.subarray(0, WRAPPED_AES_KEY_BYTES),
      EPHEMERAL_AES_TEMPLATE,
    ),
  );
  try {
    return await judgingMaterial(BAD_PRIVATE_KEY_CKRS, `the AES key wrap does not hold a PKCS#8 ${args.spec.kind} private key under this AES key`, () =>
      p11.C_UnwrapKeyAsync(
        session,
        { mechanism: CKM.AES_KEY_WRAP_PAD },
        aesKey,
        args.wrapped.subarray(WRAPPED_AES_KEY_BYTES),
        unwrapTemplate(args.spec, args.policy, args),
      ),
    );
  } finally {
    destroyQuietly(p11, session, aesKey);
  }
}

/** The public key of the unwrapped private key, after checking that the key is of the spec's size or curve. */
async function publicHalf(p11: PKCS11, session: Session, privateKey: ObjectHandle, spec: KeyPairSpec): Promise<PublicKeyMaterial> {
  if (spec.kind === 'RSA') {
    const values = p11.C_GetAttributeValue(session, privateKey, [{ type: CKA.MODULUS }, { type: CKA.PUBLIC_EXPONENT }]);
    const modulus = values.find((attribute) => attribute.type === CKA.MODULUS)?.value;
    const publicExponent = values.find((attribute) => attribute.type === CKA.PUBLIC_EXPONENT)?.value;
    if (!modulus?.length || !publicExponent?.length) throw invalidMaterial('the RSA private key carries no public exponent');
    const bits = bitLength(modulus);
    if (bits !== spec.bits) throw invalidMaterial(`the RSA key has a ${bits}-bit modulus; this key spec needs ${spec.bits} bits`);
    return { kind: 'RSA', modulus: Buffer.from(modulus), publicExponent: Buffer.from(publicExponent) };
  }
  const [params] = p11.C_GetAttributeValue(session, privateKey, [{ type: CKA.EC_PARAMS }]);
  const curve = curveFromEcParams(params?.value ?? Buffer.alloc(0));
  if (curve !== spec.curve) throw invalidMaterial(`the EC key is on ${curve ?? 'another curve'}; this key spec needs ${spec.curve}`);
  const signed = [];
  for (const digest of RECOVERY_DIGESTS) {
    p11.C_SignInit(session, { mechanism: CKM.ECDSA }, privateKey);
    const signature = await judgingMaterial(BAD_PAIR_CKRS, 'the EC private key cannot sign', () => p11.C_SignAsync(session, digest, Buffer.alloc(64)));
    signed.push({ digest, signature });
  }
  const point = recoverPublicKey(curve, signed);
  if (!point) throw invalidMaterial('the EC private key signs inconsistently');
  return { kind: 'EC', curve, point };
}

function bitLength(unsigned: Buffer): number {
  const start = unsigned.findIndex((byte) => byte !== 0);
  if (start < 0) return 0;
  return (unsigned.length - start) * 8 - (Math.clz32(unsigned[start] ?? 0) - 24);
}

/** Cleanup after a failure must not hide that failure. */
function destroyQuietly(p11: PKCS11, session: Session, handle: ObjectHandle): void {
  try {
    p11.C_DestroyObject(session, handle);
  } catch {
    // The object went with its session, or the token is gone: nothing left to remove here.
  }
}
