/* ---- Import of external key material (GetParametersForImport / ImportKeyMaterial). ---- */
import type { KeyMaterialSpec, KeyPolicy, ObjectId } from './types';

/** An RSA-2048 key pair inside the token that only unwraps: its public half is handed out for wrapping. */
export interface ImportKeyPairArgs {
  serial: string;
  objectId: ObjectId;
  label: string;
}

/** Unwraps RSA-OAEP (SHA-1) wrapped secret key material with an import key pair into a new CMK object. */
export interface UnwrapImportedKeyArgs {
  serial: string;
  /** CKA_ID of the import key pair. */
  unwrappingObjectId: ObjectId;
  wrapped: Buffer;
  objectId: ObjectId;
  label: string;
  /** AES or HMAC only: RSA-OAEP carries secret keys, and the length must match the spec. */
  spec: KeyMaterialSpec;
  policy: KeyPolicy;
}
