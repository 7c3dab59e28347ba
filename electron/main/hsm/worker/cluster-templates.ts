/**
 * Templates for the cluster's own key objects (domain key, trusted wrap keys, owner key; the transport
 * key pair is in unwrap-key-pair-templates.ts) and for keys arriving by unwrap or as replicated
 * public halves. The cluster objects are created under
 * an SO login because only the SO may set CKA_TRUSTED; PKCS#11 lets the SO create public objects
 * only, so they carry CKA_PRIVATE=false. They stay sensitive: the domain key leaves a token only
 * wrapped under a trusted transport key, the transport private keys never leave it.
 */
import { CKA, CKK, CKO } from './constants';
import { ecParamsForCurve, ed25519EcParams } from '../der';
import { keyGenPlan, objectIdBytes, type KeyIdentity, type TemplateAttribute } from './templates';
import type { KeyMaterialSpec, KeyPolicy, PublicKeyMaterial, RsaPublicKeyMaterial } from '../types';

function publicObject(objectClass: number, keyType: number, identity: KeyIdentity): TemplateAttribute[] {
  return [
    { type: CKA.CLASS, value: objectClass },
    { type: CKA.KEY_TYPE, value: keyType },
    { type: CKA.TOKEN, value: true },
    { type: CKA.PRIVATE, value: false },
    { type: CKA.ID, value: objectIdBytes(identity.objectId) },
    { type: CKA.LABEL, value: identity.label },
  ];
}

/**
 * The cluster domain key: AES-256, CKA_TRUSTED so it may wrap the CMKs (which are
 * wrap-with-trusted), itself wrap-with-trusted so only a trusted transport key can carry it.
 * `generate` adds CKA_VALUE_LEN; an unwrap template must not state it.
 */
export function domainKeyTemplate(identity: KeyIdentity, generate: boolean): TemplateAttribute[] {
  return [
    ...publicObject(CKO.SECRET_KEY, CKK.AES, identity),
    ...(generate ? [{ type: CKA.VALUE_LEN, value: 32 }] : []),
    { type: CKA.SENSITIVE, value: true },
    { type: CKA.EXTRACTABLE, value: true },
    { type: CKA.WRAP_WITH_TRUSTED, value: true },
    { type: CKA.TRUSTED, value: true },
    { type: CKA.WRAP, value: true },
    { type: CKA.UNWRAP, value: true },
    { type: CKA.ENCRYPT, value: false },
    { type: CKA.DECRYPT, value: false },
    { type: CKA.SIGN, value: false },
    { type: CKA.VERIFY, value: false },
    { type: CKA.DERIVE, value: false },
  ];
}

/**
 * The cluster owner key pair (EC P-256): signs the ClusterOwnerCertificate and proves possession
 * when a key store checks its trust anchor. Never extractable, usable for signing only.
 */
export function ownerKeyPairTemplates(identity: KeyIdentity): { publicTemplate: TemplateAttribute[]; privateTemplate: TemplateAttribute[] } {
  return {
    publicTemplate: [
      ...publicObject(CKO.PUBLIC_KEY, CKK.EC, identity),
      { type: CKA.EC_PARAMS, value: ecParamsForCurve('P-256') },
      { type: CKA.VERIFY, value: true },
      { type: CKA.ENCRYPT, value: false },
      { type: CKA.WRAP, value: false },
    ],
    privateTemplate: [
      ...publicObject(CKO.PRIVATE_KEY, CKK.EC, identity),
      { type: CKA.SENSITIVE, value: true },
      { type: CKA.EXTRACTABLE, value: false },
      { type: CKA.SIGN, value: true },
      { type: CKA.DECRYPT, value: false },
      { type: CKA.UNWRAP, value: false },
      { type: CKA.DERIVE, value: false },
    ],
  };
}

/** Another member's transport public key, trusted here so it may wrap wrap-with-trusted keys for that member. */
export function trustedWrapKeyTemplate(identity: KeyIdentity, material: RsaPublicKeyMaterial): TemplateAttribute[] {
  return [
    ...publicObject(CKO.PUBLIC_KEY, CKK.RSA, identity),
    { type: CKA.MODULUS, value: material.modulus },
    { type: CKA.PUBLIC_EXPONENT, value: material.publicExponent },
    { type: CKA.WRAP, value: true },
    { type: CKA.TRUSTED, value: true },
    { type: CKA.ENCRYPT, value: false },
    { type: CKA.VERIFY, value: false },
  ];
}

/** The template of a CMK arriving by unwrap: the generation template without the size attributes the wrapped bytes fix. */
export function unwrapTemplate(spec: KeyMaterialSpec, policy: KeyPolicy, identity: KeyIdentity): TemplateAttribute[] {
  const plan = keyGenPlan(spec, policy, identity);
  if (plan.kind === 'secret') return plan.template.filter((attr) => attr.type !== CKA.VALUE_LEN);
  return plan.privateTemplate;
}

/** The public half of a replicated key pair, with the key material given instead of generated. */
export function publicKeyTemplate(spec: KeyMaterialSpec, material: PublicKeyMaterial, identity: KeyIdentity): TemplateAttribute[] {
  const plan = keyGenPlan(spec, { wrapWithTrusted: false, extractable: false }, identity);
  if (plan.kind !== 'pair') throw new RangeError('only key pairs have a public half');
  const base = plan.publicTemplate.filter((attr) => attr.type !== CKA.MODULUS_BITS && attr.type !== CKA.PUBLIC_EXPONENT);
  if (material.kind === 'RSA') {
    return [...base, { type: CKA.MODULUS, value: material.modulus }, { type: CKA.PUBLIC_EXPONENT, value: material.publicExponent }];
  }
  const withoutParams = base.filter((attr) => attr.type !== CKA.EC_PARAMS);
  const [params, bare] = material.kind === 'EC' ? [ecParamsForCurve(material.curve), material.point] : [ed25519EcParams(), material.publicKey];
  // CKA_EC_POINT is a DER OCTET STRING around the point (65 or 32 bytes, short form length).
  const point = Buffer.concat([Buffer.from([0x04, bare.length]), bare]);
  return [...withoutParams, { type: CKA.EC_PARAMS, value: params }, { type: CKA.EC_POINT, value: point }];
}
