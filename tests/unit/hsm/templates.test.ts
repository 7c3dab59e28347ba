import { describe, expect, it } from 'vitest';
import { CKA, CKK, CKO } from '../../../electron/main/hsm/worker/constants';
import { CKM } from '../../../electron/main/hsm/mechanisms';
import { keyGenPlan, keyTypeOf, paddedTokenLabel, type TemplateAttribute } from '../../../electron/main/hsm/worker/templates';

const identity = { objectId: '00112233445566778899aabbccddeeff', label: 'keyward/key/version' };
const locked = { wrapWithTrusted: false, extractable: false };

function attr(template: TemplateAttribute[], type: number): TemplateAttribute['value'] | undefined {
  const matches = template.filter((a) => a.type === type);
  expect(matches.length, `attribute 0x${type.toString(16)} appears once`).toBeLessThanOrEqual(1);
  return matches[0]?.value;
}

describe('key generation templates', () => {
  it('makes AES keys private, sensitive, non-extractable token objects for encryption only', () => {
    const plan = keyGenPlan({ kind: 'AES', bits: 192 }, locked, identity);
    expect(plan.kind).toBe('secret');
    if (plan.kind !== 'secret') return;
    expect(plan.mechanism).toBe(CKM.AES_KEY_GEN);
    const t = plan.template;
    expect(attr(t, CKA.CLASS)).toBe(CKO.SECRET_KEY);
    expect(attr(t, CKA.KEY_TYPE)).toBe(CKK.AES);
    expect(attr(t, CKA.VALUE_LEN)).toBe(24);
    expect(attr(t, CKA.TOKEN)).toBe(true);
    expect(attr(t, CKA.PRIVATE)).toBe(true);
    expect(attr(t, CKA.SENSITIVE)).toBe(true);
    expect(attr(t, CKA.EXTRACTABLE)).toBe(false);
    expect(attr(t, CKA.WRAP_WITH_TRUSTED)).toBe(false);
    expect(attr(t, CKA.ENCRYPT)).toBe(true);
    expect(attr(t, CKA.DECRYPT)).toBe(true);
    expect(attr(t, CKA.SIGN)).toBe(false);
    expect(attr(t, CKA.WRAP)).toBe(false);
    expect(attr(t, CKA.UNWRAP)).toBe(false);
    expect(attr(t, CKA.DERIVE)).toBe(false);
    expect((attr(t, CKA.ID) as Buffer).toString('hex')).toBe(identity.objectId);
    expect(attr(t, CKA.LABEL)).toBe(identity.label);
  });

  it('makes HMAC keys generic secrets for signing only', () => {
    const plan = keyGenPlan({ kind: 'HMAC', bits: 512 }, locked, identity);
    if (plan.kind !== 'secret') throw new Error('expected a secret key plan');
    expect(plan.mechanism).toBe(CKM.GENERIC_SECRET_KEY_GEN);
    expect(attr(plan.template, CKA.KEY_TYPE)).toBe(CKK.GENERIC_SECRET);
    expect(attr(plan.template, CKA.VALUE_LEN)).toBe(64);
    expect(attr(plan.template, CKA.SIGN)).toBe(true);
    expect(attr(plan.template, CKA.ENCRYPT)).toBe(false);
  });

  it('splits RSA usage between the private and the public key, exponent 65537', () => {
    const plan = keyGenPlan({ kind: 'RSA', bits: 3072 }, locked, identity);
    if (plan.kind !== 'pair') throw new Error('expected a key pair plan');
    expect(plan.mechanism).toBe(CKM.RSA_PKCS_KEY_PAIR_GEN);
    expect(attr(plan.publicTemplate, CKA.MODULUS_BITS)).toBe(3072);
    expect((attr(plan.publicTemplate, CKA.PUBLIC_EXPONENT) as Buffer).toString('hex')).toBe('010001');
    expect(attr(plan.publicTemplate, CKA.VERIFY)).toBe(true);
    expect(attr(plan.publicTemplate, CKA.ENCRYPT)).toBe(true);
    expect(attr(plan.publicTemplate, CKA.SENSITIVE)).toBeUndefined();
    expect(attr(plan.privateTemplate, CKA.SIGN)).toBe(true);
    expect(attr(plan.privateTemplate, CKA.DECRYPT)).toBe(true);
    expect(attr(plan.privateTemplate, CKA.SENSITIVE)).toBe(true);
    expect(attr(plan.privateTemplate, CKA.EXTRACTABLE)).toBe(false);
  });

  it('puts the curve OID into CKA_EC_PARAMS', () => {
    const plan = keyGenPlan({ kind: 'EC', curve: 'secp256k1' }, locked, identity);
    if (plan.kind !== 'pair') throw new Error('expected a key pair plan');
    expect((attr(plan.publicTemplate, CKA.EC_PARAMS) as Buffer).toString('hex')).toBe('06052b8104000a');
    expect(attr(plan.privateTemplate, CKA.SIGN)).toBe(true);
    expect(attr(plan.privateTemplate, CKA.DECRYPT)).toBe(false);
    expect(keyTypeOf({ kind: 'EC', curve: 'P-256' })).toBe(CKK.EC);
  });

  it('makes Ed25519 pairs with the Edwards mechanism, the RFC 8410 OID and signing usage only', () => {
    const plan = keyGenPlan({ kind: 'ED25519' }, locked, identity);
    if (plan.kind !== 'pair') throw new Error('expected a key pair plan');
    expect(plan.mechanism).toBe(0x1055);
    expect((attr(plan.publicTemplate, CKA.EC_PARAMS) as Buffer).toString('hex')).toBe('06032b6570');
    expect(attr(plan.publicTemplate, CKA.KEY_TYPE)).toBe(0x40);
    expect(attr(plan.privateTemplate, CKA.SIGN)).toBe(true);
    expect(attr(plan.privateTemplate, CKA.DECRYPT)).toBe(false);
    expect(attr(plan.privateTemplate, CKA.DERIVE)).toBe(false);
    expect(attr(plan.privateTemplate, CKA.SENSITIVE)).toBe(true);
    expect(attr(plan.privateTemplate, CKA.EXTRACTABLE)).toBe(false);
    expect(keyTypeOf({ kind: 'ED25519' })).toBe(0x40);
  });

  it('allows extraction only together with wrap-with-trusted', () => {
    const cluster = keyGenPlan({ kind: 'AES', bits: 256 }, { wrapWithTrusted: true, extractable: true }, identity);
    if (cluster.kind !== 'secret') throw new Error('expected a secret key plan');
    expect(attr(cluster.template, CKA.EXTRACTABLE)).toBe(true);
    expect(attr(cluster.template, CKA.WRAP_WITH_TRUSTED)).toBe(true);
    // Even if a caller bypassed validation, extractable without wrap-with-trusted stays false.
    const bypass = keyGenPlan({ kind: 'AES', bits: 256 }, { wrapWithTrusted: false, extractable: true }, identity);
    if (bypass.kind !== 'secret') throw new Error('expected a secret key plan');
    expect(attr(bypass.template, CKA.EXTRACTABLE)).toBe(false);
  });

  it('pads token labels to 32 bytes', () => {
    expect(paddedTokenLabel('abc')).toHaveLength(32);
    expect(Buffer.byteLength(paddedTokenLabel('schlüssel'), 'utf8')).toBe(32);
    expect(() => paddedTokenLabel('x'.repeat(33))).toThrow(RangeError);
  });
});
