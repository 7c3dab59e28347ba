/**
 * The import key pair: a private token object (it must live until its ImportToken expires, 24 h)
 * that can only unwrap; the private half is sensitive and never extractable, and decrypts nothing,
 * so wrapped material can only become a key inside this token, never plaintext outside it.
 */
import { CKA, CKK, CKO } from './constants';
import { objectIdBytes, type KeyIdentity, type TemplateAttribute } from './templates';

export const IMPORT_KEY_BITS = 2048;
const RSA_PUBLIC_EXPONENT = Buffer.from([0x01, 0x00, 0x01]);

function privateObject(objectClass: number, identity: KeyIdentity): TemplateAttribute[] {
  return [
    { type: CKA.CLASS, value: objectClass },
    { type: CKA.KEY_TYPE, value: CKK.RSA },
    { type: CKA.TOKEN, value: true },
    { type: CKA.PRIVATE, value: true },
    { type: CKA.ID, value: objectIdBytes(identity.objectId) },
    { type: CKA.LABEL, value: identity.label },
  ];
}

export function importKeyPairTemplates(identity: KeyIdentity): { publicTemplate: TemplateAttribute[]; privateTemplate: TemplateAttribute[] } {
  return {
    publicTemplate: [
      ...privateObject(CKO.PUBLIC_KEY, identity),
      { type: CKA.MODULUS_BITS, value: IMPORT_KEY_BITS },
      { type: CKA.PUBLIC_EXPONENT, value: RSA_PUBLIC_EXPONENT },
      { type: CKA.WRAP, value: false },
      { type: CKA.ENCRYPT, value: false },
      { type: CKA.VERIFY, value: false },
    ],
    privateTemplate: [
      ...privateObject(CKO.PRIVATE_KEY, identity),
      { type: CKA.SENSITIVE, value: true },
      { type: CKA.EXTRACTABLE, value: false },
      { type: CKA.UNWRAP, value: true },
      { type: CKA.DECRYPT, value: false },
      { type: CKA.SIGN, value: false },
      { type: CKA.DERIVE, value: false },
    ],
  };
}
