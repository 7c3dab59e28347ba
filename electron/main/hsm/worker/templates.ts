/**
 * Key generation templates per KeyMaterialSpec and KeyPolicy. The policy is fixed here, not by
 * callers: every key is a private token object, secret and private keys are sensitive, and a key
 * leaves the token only if it is extractable AND wrap-with-trusted (validated before this point),
 * i.e. only wrapped under the cluster domain key. Usage flags are set explicitly both ways so a
 * token's defaults can never widen what a key may do.
 */
import { ecParamsForCurve, ed25519EcParams } from '../der';
import { CKA, CKK, CKK_V3, CKO } from './constants';
import { CKM, CKM_V3 } from '../mechanisms';
import type { KeyMaterialSpec, KeyPolicy, ObjectId } from '../types';

/** Structurally what pkcs11js accepts as an attribute. */
export interface TemplateAttribute {
  type: number;
  value: boolean | number | Buffer | string;
}

export type KeyGenPlan =
  | { kind: 'secret'; mechanism: number; template: TemplateAttribute[] }
  | { kind: 'pair'; mechanism: number; publicTemplate: TemplateAttribute[]; privateTemplate: TemplateAttribute[] };

export interface KeyIdentity {
  objectId: ObjectId;
  label: string;
}

/** 65537, big-endian as CKA_PUBLIC_EXPONENT wants it. */
const RSA_PUBLIC_EXPONENT = Buffer.from([0x01, 0x00, 0x01]);

export function objectIdBytes(objectId: ObjectId): Buffer {
  return Buffer.from(objectId, 'hex');
}

function common(objectClass: number, keyType: number, identity: KeyIdentity): TemplateAttribute[] {
  return [
    { type: CKA.CLASS, value: objectClass },
    { type: CKA.KEY_TYPE, value: keyType },
    { type: CKA.TOKEN, value: true },
    { type: CKA.PRIVATE, value: true },
    { type: CKA.ID, value: objectIdBytes(identity.objectId) },
    { type: CKA.LABEL, value: identity.label },
  ];
}

/** The attributes that keep secret and private key material inside the token. */
function protection(policy: KeyPolicy): TemplateAttribute[] {
  return [
    { type: CKA.SENSITIVE, value: true },
    { type: CKA.EXTRACTABLE, value: policy.extractable && policy.wrapWithTrusted },
    { type: CKA.WRAP_WITH_TRUSTED, value: policy.wrapWithTrusted },
  ];
}

interface Usage {
  encrypt: boolean;
  decrypt: boolean;
  sign: boolean;
  verify: boolean;
}

function usage(u: Usage, objectClass: number): TemplateAttribute[] {
  const attrs: TemplateAttribute[] = [];
  // Public keys have no DECRYPT/SIGN/UNWRAP/DERIVE semantics worth stating; private keys no ENCRYPT/VERIFY/WRAP.
  if (objectClass !== CKO.PRIVATE_KEY) attrs.push({ type: CKA.ENCRYPT, value: u.encrypt }, { type: CKA.VERIFY, value: u.verify });
  if (objectClass !== CKO.PUBLIC_KEY) attrs.push({ type: CKA.DECRYPT, value: u.decrypt }, { type: CKA.SIGN, value: u.sign });
  if (objectClass !== CKO.PRIVATE_KEY) attrs.push({ type: CKA.WRAP, value: false });
  if (objectClass !== CKO.PUBLIC_KEY) attrs.push({ type: CKA.UNWRAP, value: false }, { type: CKA.DERIVE, value: false });
  return attrs;
}

export function keyGenPlan(spec: KeyMaterialSpec, policy: KeyPolicy, identity: KeyIdentity): KeyGenPlan {
  switch (spec.kind) {
    case 'AES':
      return {
        kind: 'secret',
        mechanism: CKM.AES_KEY_GEN,
        template: [
          ...common(CKO.SECRET_KEY, CKK.AES, identity),
          ...protection(policy),
          { type: CKA.VALUE_LEN, value: spec.bits / 8 },
          ...usage({ encrypt: true, decrypt: true, sign: false, verify: false }, CKO.SECRET_KEY),
        ],
      };
    case 'HMAC':
      return {
        kind: 'secret',
        mechanism: CKM.GENERIC_SECRET_KEY_GEN,
        template: [
          ...common(CKO.SECRET_KEY, CKK.GENERIC_SECRET, identity),
          ...protection(policy),
          { type: CKA.VALUE_LEN, value: spec.bits / 8 },
          ...usage({ encrypt: false, decrypt: false, sign: true, verify: true }, CKO.SECRET_KEY),
        ],
      };
    case 'RSA': {
      const rsaUsage = { encrypt: true, decrypt: true, sign: true, verify: true };
      return {
        kind: 'pair',
        mechanism: CKM.RSA_PKCS_KEY_PAIR_GEN,
        publicTemplate: [
          ...common(CKO.PUBLIC_KEY, CKK.RSA, identity),
          { type: CKA.MODULUS_BITS, value: spec.bits },
          { type: CKA.PUBLIC_EXPONENT, value: RSA_PUBLIC_EXPONENT },
          ...usage(rsaUsage, CKO.PUBLIC_KEY),
        ],
        privateTemplate: [
          ...common(CKO.PRIVATE_KEY, CKK.RSA, identity),
          ...protection(policy),
          ...usage(rsaUsage, CKO.PRIVATE_KEY),
        ],
      };
    }
    case 'EC': {
      const ecUsage = { encrypt: false, decrypt: false, sign: true, verify: true };
      return {
        kind: 'pair',
        mechanism: CKM.EC_KEY_PAIR_GEN,
        publicTemplate: [
          ...common(CKO.PUBLIC_KEY, CKK.EC, identity),
          { type: CKA.EC_PARAMS, value: ecParamsForCurve(spec.curve) },
          ...usage(ecUsage, CKO.PUBLIC_KEY),
        ],
        privateTemplate: [...common(CKO.PRIVATE_KEY, CKK.EC, identity), ...protection(policy), ...usage(ecUsage, CKO.PRIVATE_KEY)],
      };
    }
    case 'ED25519': {
      const edUsage = { encrypt: false, decrypt: false, sign: true, verify: true };
      return {
        kind: 'pair',
        mechanism: CKM_V3.EC_EDWARDS_KEY_PAIR_GEN,
        publicTemplate: [
          ...common(CKO.PUBLIC_KEY, CKK_V3.EC_EDWARDS, identity),
          { type: CKA.EC_PARAMS, value: ed25519EcParams() },
          ...usage(edUsage, CKO.PUBLIC_KEY),
        ],
        privateTemplate: [...common(CKO.PRIVATE_KEY, CKK_V3.EC_EDWARDS, identity), ...protection(policy), ...usage(edUsage, CKO.PRIVATE_KEY)],
      };
    }
  }
}

/** The CKK_* a spec produces. */
export function keyTypeOf(spec: KeyMaterialSpec): number {
  switch (spec.kind) {
    case 'AES':
      return CKK.AES;
    case 'HMAC':
      return CKK.GENERIC_SECRET;
    case 'RSA':
      return CKK.RSA;
    case 'EC':
      return CKK.EC;
    case 'ED25519':
      return CKK_V3.EC_EDWARDS;
  }
}

/** Pads a token label to the 32 bytes CK_TOKEN_INFO.label has (the binding passes it unpadded). */
export function paddedTokenLabel(label: string): string {
  const bytes = Buffer.byteLength(label, 'utf8');
  if (bytes > 32) throw new RangeError('token labels are at most 32 bytes');
  return label + ' '.repeat(32 - bytes);
}
