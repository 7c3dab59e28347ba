/**
 * Private data objects (CKO_DATA with CKA_PRIVATE): small values kept in the token, which only the
 * logged-in user can find, read or write. Keyward keeps one, the audit anchor
 * (services/audit/anchor-store.ts). Public data objects are never read: a session without login
 * can create those, so they prove nothing.
 */
import { CKR } from '../ckr';
import { CKA, CKO } from './constants';
import { hsmFail } from './failure';
import type { HsmArgs } from '../protocol';
import type { ObjectHandle, PKCS11, Session } from './pkcs11';
import { ckrOf, retryOnceOn } from './pkcs11';
import type { TokenRegistry } from './tokens';

/** More than a crash can leave (put writes the new object before it removes the old one). */
const MAX_DATA_OBJECTS = 16;
const APPLICATION = 'Keyward';

/**
 * Other processes on the same token (a `kms` call beside the console) replace the anchor too: an
 * object found may be gone by the time it is read or destroyed, and SoftHSM2 answers a read that
 * races a write in its object store with CKR_GENERAL_ERROR (seen with five `kms` processes
 * connecting at once). Such a failure is worth one more look, not an error.
 */
const RACED = [CKR.GENERAL_ERROR, CKR.OBJECT_HANDLE_INVALID];

function findPrivateDataObjects(p11: PKCS11, session: Session, label: string): ObjectHandle[] {
  const handles: ObjectHandle[] = [];
  p11.C_FindObjectsInit(session, [
    { type: CKA.CLASS, value: CKO.DATA },
    { type: CKA.TOKEN, value: true },
    { type: CKA.PRIVATE, value: true },
    { type: CKA.LABEL, value: label },
  ]);
  try {
    for (;;) {
      const batch = p11.C_FindObjects(session, MAX_DATA_OBJECTS + 1);
      if (batch.length === 0) break;
      handles.push(...batch);
      if (handles.length > MAX_DATA_OBJECTS * 4) break; // bounded: the caller refuses anyway
    }
  } finally {
    p11.C_FindObjectsFinal(session);
  }
  return handles;
}

export async function getDataObjects(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'getDataObjects'>): Promise<Buffer[]> {
  const token = tokens.get(args.serial);
  token.requireLogin('getDataObjects');
  return retryOnceOn(RACED, () =>
    token.withSession((session) => {
      const handles = findPrivateDataObjects(p11, session, args.label);
      if (handles.length > MAX_DATA_OBJECTS) {
        throw hsmFail('HsmError.Generic', `getDataObjects: more than ${MAX_DATA_OBJECTS} private data objects carry this label`);
      }
      return handles.map((handle) => {
        const [value] = p11.C_GetAttributeValue(session, handle, [{ type: CKA.VALUE }]);
        return Buffer.from(value?.value ?? Buffer.alloc(0));
      });
    }),
  );
}

/**
 * Creates the new object first and only then destroys the ones before it: a crash in between
 * leaves two values (readers choose between them), never none.
 */
export async function putDataObject(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'putDataObject'>): Promise<null> {
  const token = tokens.get(args.serial);
  token.requireLogin('putDataObject');
  // A retry after a failed create finds the first attempt's object, if any, among the previous ones.
  return retryOnceOn(RACED, () => token.withSession((session) => {
    const previous = findPrivateDataObjects(p11, session, args.label);
    p11.C_CreateObject(session, [
      { type: CKA.CLASS, value: CKO.DATA },
      { type: CKA.TOKEN, value: true },
      { type: CKA.PRIVATE, value: true },
      // Replaced, never edited in place: an interrupted in-place write could garble the only copy.
      { type: CKA.MODIFIABLE, value: false },
      { type: CKA.LABEL, value: args.label },
      { type: CKA.APPLICATION, value: APPLICATION },
      { type: CKA.VALUE, value: args.value },
    ]);
    for (const handle of previous) {
      try {
        p11.C_DestroyObject(session, handle);
      } catch (error) {
        // Another process's put removed it first: what this one wanted.
        if (ckrOf(error) !== CKR.OBJECT_HANDLE_INVALID) throw error;
      }
    }
    return null;
  }));
}
