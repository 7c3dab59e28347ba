/**
 * Import of external key material inside the worker: the unwrap-only RSA key pair handed out by
 * GetParametersForImport, and C_UnwrapKey of the caller's RSA-OAEP (SHA-1) wrapped secret into a
 * new CMK object (key pairs: import-key-pair.ts). The unwrapped length is checked against the key
 * spec afterwards (an unwrap template cannot state CKA_VALUE_LEN: CKR_ATTRIBUTE_READ_ONLY) and a
 * mismatching object is destroyed at once. SoftHSM2 2.6 reports CKA_VALUE_LEN 0 for unwrapped keys,
 * so there the length cannot be checked inside the token and the material is taken as it is.
 */
import { unwrapTemplate } from './cluster-templates';
import { CKA, CKG, CKK, CKZ_DATA_SPECIFIED } from './constants';
import { hsmFail } from './failure';
import { importKeyPairTemplates } from './unwrap-key-pair-templates';
import { CKM } from '../mechanisms';
import type { HsmArgs } from '../protocol';
import type { KeyMaterialSpec, RsaPublicKeyMaterial } from '../types';
import { unwrapImportedKeyPair } from './import-key-pair';
import { notFound } from './keys';
import type { ObjectHandle, PKCS11, RsaOAEP, Session } from './pkcs11';
import { ckrOf, pkcs11js, readUlong } from './pkcs11';
import type { TokenRegistry } from './tokens';

/** What C_UnwrapKey answers when the wrapped bytes are not OAEP under this key, or not a usable key. */
const BAD_MATERIAL_CKRS: ReadonlySet<number> = new Set([0x005, 0x020, 0x021, 0x040, 0x041, 0x062, 0x110, 0x112]);

export async function generateImportKeyPair(
  p11: PKCS11,
  tokens: TokenRegistry,
  args: HsmArgs<'generateImportKeyPair'>,
): Promise<RsaPublicKeyMaterial> {
  const token = tokens.get(args.serial);
  token.requireLogin('generateImportKeyPair');
  return token.withSession(async (session) => {
    if (token.find(session, args.objectId).all.length > 0) {
      throw hsmFail('InvalidParameter', 'generateImportKeyPair: an object with this id already exists on the token');
    }
    const { publicTemplate, privateTemplate } = importKeyPairTemplates(args);
    const pair = await p11.C_GenerateKeyPairAsync(session, { mechanism: CKM.RSA_PKCS_KEY_PAIR_GEN }, publicTemplate, privateTemplate);
    const values = p11.C_GetAttributeValue(session, pair.publicKey, [{ type: CKA.MODULUS }, { type: CKA.PUBLIC_EXPONENT }]);
    const modulus = values.find((attr) => attr.type === CKA.MODULUS)?.value;
    const publicExponent = values.find((attr) => attr.type === CKA.PUBLIC_EXPONENT)?.value;
    if (!modulus || !publicExponent) throw hsmFail('HsmError.Generic', 'generateImportKeyPair: the token returned no public key');
    return { kind: 'RSA', modulus: Buffer.from(modulus), publicExponent: Buffer.from(publicExponent) };
  });
}

export async function unwrapImportedKey(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'unwrapImportedKey'>): Promise<{ objectId: string }> {
  const token = tokens.get(args.serial);
  token.requireLogin('unwrapImportedKey');
  const { spec } = args;
  if (spec.kind === 'ED25519') throw hsmFail('UnsupportedOperation', 'unwrapImportedKey: Ed25519 keys cannot be imported');
  await token.withSession(async (session) => {
    if (token.find(session, args.objectId).all.length > 0) {
      throw hsmFail('InvalidParameter', 'unwrapImportedKey: an object with this id already exists on the token');
    }
    const unwrapping = token.find(session, args.unwrappingObjectId);
    if (!unwrapping.private || unwrapping.keyType !== CKK.RSA) throw notFound('unwrapImportedKey', 'import key pair');
    if (spec.kind === 'RSA' || spec.kind === 'EC') return unwrapImportedKeyPair(p11, session, unwrapping.private, { ...args, spec });
    await unwrapSecretKey(p11, session, unwrapping.private, { ...args, spec });
  });
  token.forget(args.objectId);
  return { objectId: args.objectId };
}

async function unwrapSecretKey(
  p11: PKCS11,
  session: Session,
  unwrapping: ObjectHandle,
  args: HsmArgs<'unwrapImportedKey'> & { spec: Extract<KeyMaterialSpec, { kind: 'AES' } | { kind: 'HMAC' }> },
): Promise<void> {
  const expected = args.spec.bits / 8;
  const parameter: RsaOAEP = { type: pkcs11js().CK_PARAMS_RSA_OAEP, hashAlg: CKM.SHA_1, mgf: CKG.MGF1_SHA1, source: CKZ_DATA_SPECIFIED };
  let key;
  try {
    key = await p11.C_UnwrapKeyAsync(
      session,
      { mechanism: CKM.RSA_PKCS_OAEP, parameter },
      unwrapping,
      args.wrapped,
      unwrapTemplate(args.spec, args.policy, args),
    );
  } catch (error) {
    const rv = ckrOf(error);
    if (rv !== null && BAD_MATERIAL_CKRS.has(rv)) {
      throw hsmFail('InvalidKeyMaterial', 'unwrapImportedKey: the wrapped key material is not valid under this import key');
    }
    throw error;
  }
  const [length] = p11.C_GetAttributeValue(session, key, [{ type: CKA.VALUE_LEN }]);
  const actual = length ? readUlong(length.value) : 0;
  if (actual !== 0 && actual !== expected) {
    p11.C_DestroyObject(session, key);
    throw hsmFail('InvalidKeyMaterial', `unwrapImportedKey: the key material is ${actual} bytes; this key spec needs ${expected}`);
  }
}
