/**
 * listObjects: every object the logged-in session sees on a token, with its CKA_ID, class and label
 * only (never a value attribute). ReconcileKeyStore compares this list with the registry; normal
 * operations never search the whole token (C_FindObjects grows with the object count).
 */
import { CKA, CKO } from './constants';
import { hsmFail } from './failure';
import type { HsmArgs } from '../protocol';
import type { TokenObjectInfo } from '../types';
import type { ObjectHandle, PKCS11, Session } from './pkcs11';
import { isPkcs11Error, readUlong } from './pkcs11';
import { isTokenLost, type TokenRegistry } from './tokens';

/** A bound on the answer: a token with more objects than this is not one Keyward manages. */
export const MAX_LISTED_OBJECTS = 500_000;
const BATCH = 256;

const CLASS_NAMES: Readonly<Record<number, TokenObjectInfo['objectClass']>> = {
  [CKO.SECRET_KEY]: 'SECRET_KEY',
  [CKO.PRIVATE_KEY]: 'PRIVATE_KEY',
  [CKO.PUBLIC_KEY]: 'PUBLIC_KEY',
};

function describeHandle(p11: PKCS11, session: Session, handle: ObjectHandle): TokenObjectInfo {
  // CLASS and LABEL are common to every storage object; CKA_ID only to keys and certificates,
  // and asking an object for an attribute it lacks fails the whole C_GetAttributeValue.
  const [classAttr, labelAttr] = p11.C_GetAttributeValue(session, handle, [{ type: CKA.CLASS }, { type: CKA.LABEL }]);
  const objectClass = CLASS_NAMES[classAttr ? readUlong(classAttr.value) : -1] ?? 'OTHER';
  let objectId = '';
  if (objectClass !== 'OTHER') {
    const [idAttr] = p11.C_GetAttributeValue(session, handle, [{ type: CKA.ID }]);
    objectId = idAttr ? Buffer.from(idAttr.value).toString('hex') : '';
  }
  return { objectId, objectClass, label: labelAttr ? Buffer.from(labelAttr.value).toString('utf8') : '' };
}

/**
 * One object whose attributes cannot be read must not hide all the others: SoftHSM2 answers
 * CKR_ATTRIBUTE_VALUE_INVALID for an object file that was created but never given its attributes
 * (the process was killed in between; seen in the R2 cluster suite).
 */
function describeTolerantly(p11: PKCS11, session: Session, handle: ObjectHandle): TokenObjectInfo {
  try {
    return describeHandle(p11, session, handle);
  } catch (error) {
    if (!isPkcs11Error(error) || isTokenLost(error)) throw error;
    return { objectId: '', objectClass: 'OTHER', label: '', unreadable: true };
  }
}

export async function listObjects(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'listObjects'>): Promise<TokenObjectInfo[]> {
  const token = tokens.get(args.serial);
  token.requireLogin('listObjects');
  return token.withSession((session) => {
    const handles: ObjectHandle[] = [];
    // An empty template matches every object the session may see (public and, logged in, private).
    p11.C_FindObjectsInit(session, []);
    try {
      for (;;) {
        const batch = p11.C_FindObjects(session, BATCH);
        if (batch.length === 0) break;
        handles.push(...batch);
        if (handles.length > MAX_LISTED_OBJECTS) {
          throw hsmFail('UnsupportedOperation', `listObjects: the token holds more than ${MAX_LISTED_OBJECTS} objects`);
        }
      }
    } finally {
      p11.C_FindObjectsFinal(session);
    }
    return handles.map((handle) => describeTolerantly(p11, session, handle));
  });
}
