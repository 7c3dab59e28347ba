import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CKA, CKF, CKG, CKK, CKK_V3, CKO, CKU } from '../../../electron/main/hsm/worker/constants';
import { CKM, CKM_V3, knownMechanisms, mechanismName } from '../../../electron/main/hsm/mechanisms';

// The hsm layer writes PKCS#11 numbers out itself (so the main process never loads the native
// binding); this cross-checks every one against pkcs11js.
const pkcs11js = createRequire(import.meta.url)('pkcs11js') as Record<string, number>;

describe('PKCS#11 constant tables', () => {
  it.each([
    ['CKA_', CKA],
    ['CKO_', CKO],
    ['CKK_', CKK],
    ['CKU_', CKU],
    ['CKG_', CKG],
    ['CKM_', CKM],
  ] as const)('%s values match pkcs11js', (prefix, table) => {
    for (const [name, value] of Object.entries(table)) expect(value, `${prefix}${name}`).toBe(pkcs11js[`${prefix}${name}`]);
  });

  it('CKF values match pkcs11js', () => {
    for (const [name, value] of Object.entries(CKF)) expect(value, name).toBe(pkcs11js[`CKF_${name}`]);
  });

  it('names every mechanism pkcs11js knows', () => {
    const names = Object.entries(pkcs11js).filter(([key, value]) => key.startsWith('CKM_') && typeof value === 'number' && value < 0x80000000);
    for (const [name, value] of names) {
      // Aliases (CKM_ECDSA_KEY_PAIR_GEN, CKM_CAST5_*) share a number with their current spelling.
      expect(pkcs11js[mechanismName(value)], name).toBe(value);
    }
    expect(knownMechanisms().length).toBeGreaterThan(280);
  });

  it('prefers current names and names unknown mechanisms by number', () => {
    expect(mechanismName(0x1040)).toBe('CKM_EC_KEY_PAIR_GEN');
    expect(mechanismName(0x1087)).toBe('CKM_AES_GCM');
    expect(mechanismName(0x1057)).toBe('CKM_EDDSA');
    // The v3.0 values pkcs11js lacks, against the names SoftHSM 2.6 reports (PKCS#11 v3.0 pkcs11t.h).
    for (const [name, value] of Object.entries(CKM_V3)) expect(mechanismName(value)).toBe(`CKM_${name}`);
    expect(CKK_V3.EC_EDWARDS).toBe(0x40);
    expect(mechanismName(0x9999)).toBe('CKM_0x00009999');
    expect(mechanismName(0x80001234)).toBe('CKM_VENDOR_0x80001234');
  });
});
