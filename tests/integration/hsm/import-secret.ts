/**
 * Test-only: puts an HMAC key with a KNOWN value on a SoftHSM token from a separate, short-lived
 * process (pkcs11js directly), so node's createHmac can check the MACs the worker computes.
 * Keyward itself never creates keys from plaintext values; this exists only to verify correctness.
 */
import { execFileSync } from 'node:child_process';
import type { SoftHsmFixture } from '../../support/softhsm';

const SCRIPT = `
const p = require('pkcs11js');
const e = process.env;
const m = new p.PKCS11();
m.load(e.KW_MODULE);
m.C_Initialize({ flags: p.CKF_OS_LOCKING_OK });
try {
  const slot = m.C_GetSlotList(true).find((s) => m.C_GetTokenInfo(s).serialNumber.trim() === e.KW_SERIAL);
  const s = m.C_OpenSession(slot, p.CKF_SERIAL_SESSION | p.CKF_RW_SESSION);
  m.C_Login(s, p.CKU_USER, e.KW_PIN);
  m.C_CreateObject(s, [
    { type: p.CKA_CLASS, value: p.CKO_SECRET_KEY },
    { type: p.CKA_KEY_TYPE, value: p.CKK_GENERIC_SECRET },
    { type: p.CKA_TOKEN, value: true },
    { type: p.CKA_PRIVATE, value: true },
    { type: p.CKA_SENSITIVE, value: true },
    { type: p.CKA_ID, value: Buffer.from(e.KW_ID, 'hex') },
    { type: p.CKA_LABEL, value: 'known-hmac' },
    { type: p.CKA_SIGN, value: true },
    { type: p.CKA_VERIFY, value: true },
    { type: p.CKA_VALUE, value: Buffer.from(e.KW_VALUE, 'hex') },
  ]);
} finally {
  m.C_Finalize();
}
`;

export function importKnownHmacKey(fixture: SoftHsmFixture, serial: string, pin: string, objectId: string, value: Buffer): void {
  execFileSync(process.execPath, ['-e', SCRIPT], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      ...fixture.moduleSpec.env,
      KW_MODULE: fixture.moduleSpec.path,
      KW_SERIAL: serial,
      KW_PIN: pin,
      KW_ID: objectId,
      KW_VALUE: value.toString('hex'),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
