/**
 * Cluster provisioning and key replication inside the worker: SO-session object creation (domain
 * key, transport key pairs, trusted wrap keys), C_WrapKey/C_UnwrapKey between members and
 * re-creating public halves. Key types are checked against the mechanism before any call reaches
 * the module: SoftHSM 2.6.1 crashes on some key/mechanism mismatches instead of returning an error.
 */
import { CKR } from '../ckr';
import { domainKeyTemplate, publicKeyTemplate, trustedWrapKeyTemplate, unwrapTemplate } from './cluster-templates';
import { CKA, CKG, CKK, CKU, CKZ_DATA_SPECIFIED } from './constants';
import { hsmFail } from './failure';
import { CKM } from '../mechanisms';
import type { HsmArgs } from '../protocol';
import type { RsaPublicKeyMaterial, WrapMechanism } from '../types';
import { notFound } from './keys';
import { transportKeyPairTemplates } from './unwrap-key-pair-templates';
import type { ObjectHandle, PKCS11, RsaOAEP, Session } from './pkcs11';
import { ckrOf, pkcs11js } from './pkcs11';
import type { KeyHandles, TokenRegistry, TokenState } from './tokens';

type Pkcs11Mechanism = Parameters<PKCS11['C_WrapKey']>[1];

const CKM_AES_KEY_WRAP_PAD = 0x210a;
/** Room for a wrapped RSA-4096 private key (PKCS#8 ~2.4 KB plus padding). */
const WRAPPED_MAX_BYTES = 8192;

function wrapMechanism(mechanism: WrapMechanism): Pkcs11Mechanism {
  if (mechanism === 'AES_KEY_WRAP_PAD') return { mechanism: CKM_AES_KEY_WRAP_PAD };
  const parameter: RsaOAEP = { type: pkcs11js().CK_PARAMS_RSA_OAEP, hashAlg: CKM.SHA_1, mgf: CKG.MGF1_SHA1, source: CKZ_DATA_SPECIFIED };
  return { mechanism: CKM.RSA_PKCS_OAEP, parameter };
}

/** Runs `fn` on a session logged in as SO and always logs the SO out again. */
export async function withSo<T>(p11: PKCS11, token: TokenState, soPin: string, fn: (session: Session) => Promise<T> | T): Promise<T> {
  return token.withSession(async (session) => {
    p11.C_Login(session, CKU.SO, soPin);
    let result: T;
    try {
      result = await fn(session);
    } catch (error) {
      logoutQuietly(p11, session);
      throw error;
    }
    logoutQuietly(p11, session);
    return result;
  });
}

function logoutQuietly(p11: PKCS11, session: Session): void {
  try {
    p11.C_Logout(session);
  } catch (error) {
    if (ckrOf(error) !== CKR.USER_NOT_LOGGED_IN) throw error;
  }
}

function refuseDuplicate(token: TokenState, session: Session, objectId: string, operation: string): void {
  if (token.find(session, objectId).all.length > 0) {
    throw hsmFail('InvalidParameter', `${operation}: an object with this id already exists on the token`);
  }
}

export async function checkSoPin(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'checkSoPin'>): Promise<null> {
  await withSo(p11, tokens.get(args.serial), args.soPin, () => null);
  return null;
}

export async function generateDomainKey(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'generateDomainKey'>): Promise<null> {
  const token = tokens.get(args.serial);
  await withSo(p11, token, args.soPin, async (session) => {
    refuseDuplicate(token, session, args.objectId, 'generateDomainKey');
    await p11.C_GenerateKeyAsync(session, { mechanism: CKM.AES_KEY_GEN }, domainKeyTemplate(args, true));
  });
  return null;
}

/** Generates the token's transport key pair and returns its public key. */
export async function generateTransportKey(
  p11: PKCS11,
  tokens: TokenRegistry,
  args: HsmArgs<'generateTransportKey'>,
): Promise<RsaPublicKeyMaterial> {
  const token = tokens.get(args.serial);
  return withSo(p11, token, args.soPin, async (session) => {
    refuseDuplicate(token, session, args.objectId, 'generateTransportKey');
    const { publicTemplate, privateTemplate } = transportKeyPairTemplates(args);
    const pair = await p11.C_GenerateKeyPairAsync(session, { mechanism: CKM.RSA_PKCS_KEY_PAIR_GEN }, publicTemplate, privateTemplate);
    const values = p11.C_GetAttributeValue(session, pair.publicKey, [{ type: CKA.MODULUS }, { type: CKA.PUBLIC_EXPONENT }]);
    const modulus = values.find((attr) => attr.type === CKA.MODULUS)?.value;
    const publicExponent = values.find((attr) => attr.type === CKA.PUBLIC_EXPONENT)?.value;
    if (!modulus || !publicExponent) throw hsmFail('HsmError.Generic', 'generateTransportKey: the token returned no public key');
    return { kind: 'RSA', modulus: Buffer.from(modulus), publicExponent: Buffer.from(publicExponent) };
  });
}

export async function importTrustedWrapKey(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'importTrustedWrapKey'>): Promise<null> {
  const token = tokens.get(args.serial);
  await withSo(p11, token, args.soPin, (session) => {
    refuseDuplicate(token, session, args.objectId, 'importTrustedWrapKey');
    p11.C_CreateObject(session, trustedWrapKeyTemplate(args, args.publicKey));
  });
  return null;
}

function requireType(handles: KeyHandles, expected: readonly number[], operation: string): void {
  if (handles.keyType === null || !expected.includes(handles.keyType)) {
    throw hsmFail('Forbidden.KeyUsage', `${operation}: the key type does not fit this wrapping mechanism`);
  }
}

/** The handle that wraps (public RSA or AES domain key) or unwraps (private RSA or AES domain key). */
function wrappingHandle(token: TokenState, session: Session, objectId: string, mechanism: WrapMechanism, direction: 'wrap' | 'unwrap'): ObjectHandle {
  const operation = direction === 'wrap' ? 'wrapKey' : 'unwrapKey';
  const handles = token.find(session, objectId);
  if (handles.all.length === 0) throw notFound(operation, 'wrapping key');
  requireType(handles, mechanism === 'AES_KEY_WRAP_PAD' ? [CKK.AES] : [CKK.RSA], operation);
  const handle = mechanism === 'AES_KEY_WRAP_PAD' ? handles.secret : direction === 'wrap' ? handles.public : handles.private;
  if (!handle) throw notFound(operation, 'wrapping key');
  return handle;
}

export async function unwrapDomainKey(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'unwrapDomainKey'>): Promise<null> {
  const token = tokens.get(args.serial);
  await withSo(p11, token, args.soPin, (session) => {
    refuseDuplicate(token, session, args.objectId, 'unwrapDomainKey');
    const unwrapping = wrappingHandle(token, session, args.unwrappingObjectId, 'RSA_OAEP_SHA1', 'unwrap');
    p11.C_UnwrapKey(session, wrapMechanism('RSA_OAEP_SHA1'), unwrapping, args.wrapped, domainKeyTemplate(args, false));
  });
  return null;
}

/** Wraps a secret key (either mechanism) or a private key (AES key wrap only). Needs whatever login the key needs. */
export async function wrapKey(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'wrapKey'>): Promise<Buffer> {
  const token = tokens.get(args.serial);
  return token.withSession(async (session) => {
    const wrapping = wrappingHandle(token, session, args.wrappingObjectId, args.mechanism, 'wrap');
    const target = token.find(session, args.objectId);
    if (target.all.length === 0) throw notFound('wrapKey');
    const key = target.secret ?? (args.mechanism === 'AES_KEY_WRAP_PAD' ? target.private : undefined);
    if (!key) throw hsmFail('UnsupportedOperation', 'wrapKey: RSA-OAEP can carry secret keys only');
    requireType(target, target.secret ? [CKK.AES, CKK.GENERIC_SECRET] : [CKK.RSA, CKK.EC], 'wrapKey');
    return p11.C_WrapKeyAsync(session, wrapMechanism(args.mechanism), wrapping, key, Buffer.alloc(WRAPPED_MAX_BYTES));
  });
}

export async function unwrapKey(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'unwrapKey'>): Promise<{ objectId: string }> {
  const token = tokens.get(args.serial);
  token.requireLogin('unwrapKey');
  const isSecret = args.spec.kind === 'AES' || args.spec.kind === 'HMAC';
  if (!isSecret && args.mechanism !== 'AES_KEY_WRAP_PAD') {
    throw hsmFail('UnsupportedOperation', 'unwrapKey: RSA-OAEP can carry secret keys only');
  }
  await token.withSession(async (session) => {
    refuseDuplicate(token, session, args.objectId, 'unwrapKey');
    const unwrapping = wrappingHandle(token, session, args.unwrappingObjectId, args.mechanism, 'unwrap');
    await p11.C_UnwrapKeyAsync(session, wrapMechanism(args.mechanism), unwrapping, args.wrapped, unwrapTemplate(args.spec, args.policy, args));
  });
  token.forget(args.objectId);
  return { objectId: args.objectId };
}

export async function createPublicKey(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'createPublicKey'>): Promise<null> {
  const token = tokens.get(args.serial);
  token.requireLogin('createPublicKey');
  if ((args.spec.kind === 'RSA') !== (args.material.kind === 'RSA') || (args.spec.kind !== 'RSA' && args.spec.kind !== 'EC')) {
    throw hsmFail('InvalidParameter', 'createPublicKey: the public key does not match the key spec');
  }
  await token.withSession((session) => {
    const existing = token.find(session, args.objectId);
    if (existing.public) throw hsmFail('InvalidParameter', 'createPublicKey: the public key already exists on the token');
    p11.C_CreateObject(session, publicKeyTemplate(args.spec, args.material, args));
  });
  token.forget(args.objectId);
  return null;
}
