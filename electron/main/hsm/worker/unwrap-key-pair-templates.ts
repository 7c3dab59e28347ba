/**
 * RSA-2048 key pairs that can only unwrap: the private half is sensitive, never extractable, and
 * decrypts or signs nothing, so wrapped material can only become a key inside this token, never
 * plaintext outside it. Two kinds exist: the import key pair (a private token object that lives
 * until its ImportToken expires, 24 h) and a cluster member's transport key pair (created under
 * the SO login, which may create public objects only, hence CKA_PRIVATE=false).
 */
import { CKA, CKK, CKO } from './constants';
import { objectIdBytes, type KeyIdentity, type TemplateAttribute } from './templates';

export const UNWRAP_KEY_BITS = 2048;
const RSA_PUBLIC_EXPONENT = Buffer.from([0x01, 0x00, 0x01]);

export interface KeyPairTemplates {
  publicTemplate: TemplateAttribute[];
  privateTemplate: TemplateAttribute[];
}

function unwrapOnlyKeyPair(identity: KeyIdentity, privateObjects: boolean): KeyPairTemplates {
  const object = (objectClass: number): TemplateAttribute[] => [
    { type: CKA.CLASS, value: objectClass },
    { type: CKA.KEY_TYPE, value: CKK.RSA },
    { type: CKA.TOKEN, value: true },
    { type: CKA.PRIVATE, value: privateObjects },
    { type: CKA.ID, value: objectIdBytes(identity.objectId) },
    { type: CKA.LABEL, value: identity.label },
  ];
  return {
    publicTemplate: [
      ...object(CKO.PUBLIC_KEY),
      { type: CKA.MODULUS_BITS, value: UNWRAP_KEY_BITS },
      { type: CKA.PUBLIC_EXPONENT, value: RSA_PUBLIC_EXPONENT },
      { type: CKA.WRAP, value: false },
      { type: CKA.ENCRYPT, value: false },
      { type: CKA.VERIFY, value: false },
    ],
    privateTemplate: [
      ...object(CKO.PRIVATE_KEY),
      { type: CKA.SENSITIVE, value: true },
      { type: CKA.EXTRACTABLE, value: false },
      { type: CKA.UNWRAP, value: true },
      { type: CKA.DECRYPT, value: false },
      { type: CKA.SIGN, value: false },
      { type: CKA.DERIVE, value: false },
    ],
  };
}

/** The import key pair of GetParametersForImport: private objects under the user login. */
export function importKeyPairTemplates(identity: KeyIdentity): KeyPairTemplates {
  return unwrapOnlyKeyPair(identity, true);
}

/** A cluster member's transport key pair: public objects, as the SO creates them. */
export function transportKeyPairTemplates(identity: KeyIdentity): KeyPairTemplates {
  return unwrapOnlyKeyPair(identity, false);
}
