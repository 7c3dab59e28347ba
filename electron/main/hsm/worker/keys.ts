/**
 * Key objects: generation (async, so RSA keygen does not block other requests), destruction,
 * existence, attribute inspection and public key export. Keys are found by CKA_ID through the
 * token's handle cache; a handle that went stale is forgotten and looked up once more.
 */
import { CKR } from '../ckr';
import { curveFromEcParams, ecPointFromAttribute, ed25519PointFromAttribute } from '../der';
import { CKA, CKK, CKK_V3, CKO } from './constants';
import { hsmFail } from './failure';
import type { HsmArgs } from '../protocol';
import { keyGenPlan, keyTypeOf } from './templates';
import type { KeyObjectClass, KeyObjectInfo, PublicKeyMaterial } from '../types';
import type { ObjectHandle, PKCS11, Session } from './pkcs11';
import { readBool, readUlong, retryOnceOn } from './pkcs11';
import type { KeyHandles, TokenRegistry, TokenState } from './tokens';
import { isStaleHandle } from './tokens';

export function notFound(operation: string, what = 'key object'): Error {
  return hsmFail('HsmError.ObjectNotFound', `${operation}: no ${what} with this id on the token`);
}

/** Refuses a key whose type does not fit the mechanism, before any *Init sees it. */
export function requireKeyType(handles: KeyHandles, expected: number, operation: string): void {
  if (handles.keyType !== expected) {
    throw hsmFail('Forbidden.KeyUsage', `${operation}: the key type does not fit this mechanism`);
  }
}

/** Runs `fn` with the key's handles on a borrowed session; retries once if the cached handles went stale. */
export async function withKey<T>(
  token: TokenState,
  objectId: string,
  operation: string,
  fn: (session: Session, handles: KeyHandles) => Promise<T> | T,
): Promise<T> {
  // Cached handles were found logged in, and logout drops them: the login is asked of the token
  // (C_GetSessionInfo, ~6 % of the worker's time on the crypto path) only on a miss. If the login
  // went away with the token, the call fails with a stale handle and the retry asks.
  if (!token.hasHandles(objectId)) token.requireLogin(operation);
  for (let attempt = 0; ; attempt++) {
    try {
      return await token.withSession((session) => {
        const handles = token.lookup(session, objectId);
        if (!handles) throw notFound(operation);
        return fn(session, handles);
      });
    } catch (error) {
      if (attempt > 0 || !isStaleHandle(error)) throw error;
      token.forget(objectId);
      token.requireLogin(operation);
    }
  }
}

export async function generateKey(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'generateKey'>): Promise<{ objectId: string }> {
  const token = tokens.get(args.serial);
  token.requireLogin('generateKey');
  const plan = keyGenPlan(args.spec, args.policy, { objectId: args.objectId, label: args.label });
  const keyType = keyTypeOf(args.spec);
  const generate = (): Promise<KeyHandles> =>
    token.withSession(async (session): Promise<KeyHandles> => {
      // One CKA_ID must name one key: lookups, replication and destroy all rely on it.
      if (token.find(session, args.objectId).all.length > 0) {
        throw hsmFail('InvalidParameter', 'generateKey: an object with this id already exists on the token');
      }
      if (plan.kind === 'secret') {
        const secret = await p11.C_GenerateKeyAsync(session, { mechanism: plan.mechanism }, plan.template);
        return { secret, all: [secret], keyType };
      }
      const pair = await p11.C_GenerateKeyPairAsync(
        session,
        { mechanism: plan.mechanism },
        plan.publicTemplate,
        plan.privateTemplate,
      );
      return { private: pair.privateKey, public: pair.publicKey, all: [pair.privateKey, pair.publicKey], keyType };
    });
  // SoftHSM2 now and then fails a generation with CKR_GENERAL_ERROR while another session reads the
  // object store. It leaves no object behind, so one more attempt is safe; the existence check above
  // refuses it should the first attempt have left one after all.
  const handles = await retryOnceOn([CKR.GENERAL_ERROR], generate);
  token.remember(args.objectId, handles);
  return { objectId: args.objectId };
}

export async function destroyKey(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'destroyKey'>): Promise<{ destroyed: number }> {
  const token = tokens.get(args.serial);
  token.requireLogin('destroyKey');
  token.forget(args.objectId);
  return token.withSession((session) => {
    const { all } = token.find(session, args.objectId);
    for (const handle of all) p11.C_DestroyObject(session, handle);
    return { destroyed: all.length };
  });
}

export async function keyExists(tokens: TokenRegistry, args: HsmArgs<'keyExists'>): Promise<boolean> {
  const token = tokens.get(args.serial);
  token.requireLogin('keyExists');
  return token.withSession((session) => token.lookup(session, args.objectId) !== null);
}

const CLASS_NAMES: Readonly<Record<number, KeyObjectClass>> = {
  [CKO.SECRET_KEY]: 'SECRET_KEY',
  [CKO.PRIVATE_KEY]: 'PRIVATE_KEY',
  [CKO.PUBLIC_KEY]: 'PUBLIC_KEY',
};

const KEY_TYPE_NAMES: Readonly<Record<number, KeyObjectInfo['keyType']>> = {
  [CKK.AES]: 'AES',
  [CKK.GENERIC_SECRET]: 'GENERIC_SECRET',
  [CKK.RSA]: 'RSA',
  [CKK.EC]: 'EC',
  [CKK_V3.EC_EDWARDS]: 'EC_EDWARDS',
};

function readAttributes(p11: PKCS11, session: Session, handle: ObjectHandle, types: number[]): Map<number, Buffer> {
  const values = p11.C_GetAttributeValue(session, handle, types.map((type) => ({ type })));
  return new Map(values.map((attr) => [attr.type, attr.value]));
}

function describeObject(p11: PKCS11, session: Session, handle: ObjectHandle): KeyObjectInfo | null {
  const base = readAttributes(p11, session, handle, [CKA.CLASS, CKA.KEY_TYPE, CKA.LABEL, CKA.TOKEN, CKA.PRIVATE, CKA.LOCAL]);
  const get = (map: Map<number, Buffer>, type: number): Buffer => map.get(type) ?? Buffer.alloc(0);
  const objectClass = CLASS_NAMES[readUlong(get(base, CKA.CLASS))];
  if (!objectClass) return null; // certificates or data objects sharing the id are not keys
  // Public keys do not have the protection attributes; asking for them fails the whole call.
  const protection =
    objectClass === 'PUBLIC_KEY'
      ? null
      : readAttributes(p11, session, handle, [
          CKA.SENSITIVE,
          CKA.EXTRACTABLE,
          CKA.ALWAYS_SENSITIVE,
          CKA.NEVER_EXTRACTABLE,
          CKA.WRAP_WITH_TRUSTED,
        ]);
  const flag = (type: number): boolean | null => (protection ? readBool(get(protection, type)) : null);
  return {
    objectClass,
    keyType: KEY_TYPE_NAMES[readUlong(get(base, CKA.KEY_TYPE))] ?? 'OTHER',
    label: get(base, CKA.LABEL).toString('utf8'),
    token: readBool(get(base, CKA.TOKEN)),
    private: readBool(get(base, CKA.PRIVATE)),
    local: readBool(get(base, CKA.LOCAL)),
    sensitive: flag(CKA.SENSITIVE),
    extractable: flag(CKA.EXTRACTABLE),
    alwaysSensitive: flag(CKA.ALWAYS_SENSITIVE),
    neverExtractable: flag(CKA.NEVER_EXTRACTABLE),
    wrapWithTrusted: flag(CKA.WRAP_WITH_TRUSTED),
  };
}

export async function describeKey(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'describeKey'>): Promise<KeyObjectInfo[]> {
  const token = tokens.get(args.serial);
  token.requireLogin('describeKey');
  return token.withSession((session) => {
    const { all } = token.find(session, args.objectId);
    if (all.length === 0) throw notFound('describeKey');
    return all.map((handle) => describeObject(p11, session, handle)).filter((info): info is KeyObjectInfo => info !== null);
  });
}

export async function getPublicKey(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'getPublicKey'>): Promise<PublicKeyMaterial> {
  const token = tokens.get(args.serial);
  return withKey(token, args.objectId, 'getPublicKey', (session, handles) => {
    if (!handles.public) {
      if (handles.secret) throw hsmFail('UnsupportedOperation', 'getPublicKey: a symmetric key has no public key');
      throw notFound('getPublicKey', 'public key');
    }
    const [keyTypeAttr] = p11.C_GetAttributeValue(session, handles.public, [{ type: CKA.KEY_TYPE }]);
    const keyType = keyTypeAttr ? readUlong(keyTypeAttr.value) : -1;
    if (keyType === CKK.RSA) {
      const attrs = readAttributes(p11, session, handles.public, [CKA.MODULUS, CKA.PUBLIC_EXPONENT]);
      const modulus = attrs.get(CKA.MODULUS);
      const publicExponent = attrs.get(CKA.PUBLIC_EXPONENT);
      if (!modulus || !publicExponent) throw hsmFail('HsmError.Generic', 'getPublicKey: the token returned no RSA public key');
      return { kind: 'RSA', modulus: Buffer.from(modulus), publicExponent: Buffer.from(publicExponent) };
    }
    if (keyType === CKK.EC) {
      const attrs = readAttributes(p11, session, handles.public, [CKA.EC_PARAMS, CKA.EC_POINT]);
      const curve = curveFromEcParams(attrs.get(CKA.EC_PARAMS) ?? Buffer.alloc(0));
      if (!curve) throw hsmFail('UnsupportedOperation', 'getPublicKey: the key uses an unsupported curve');
      const point = ecPointFromAttribute(attrs.get(CKA.EC_POINT) ?? Buffer.alloc(0), curve);
      if (!point) throw hsmFail('HsmError.Generic', 'getPublicKey: the token returned a malformed EC point');
      return { kind: 'EC', curve, point };
    }
    if (keyType === CKK_V3.EC_EDWARDS) {
      const publicKey = ed25519PointFromAttribute(readAttributes(p11, session, handles.public, [CKA.EC_POINT]).get(CKA.EC_POINT) ?? Buffer.alloc(0));
      if (!publicKey) throw hsmFail('HsmError.Generic', 'getPublicKey: the token returned a malformed Ed25519 public key');
      return { kind: 'ED25519', publicKey };
    }
    throw hsmFail('UnsupportedOperation', 'getPublicKey: unsupported key type');
  });
}
