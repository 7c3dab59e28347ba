/**
 * Test-only: puts an HMAC (or AES) key with a KNOWN value on a SoftHSM token from a separate, short-lived
 * process (pkcs11js directly), so node's createHmac can check the MACs the worker computes, or
 * replaces a key's objects with such a key (a damaged copy when the value is too short to use).
 * Keyward itself never creates keys from plaintext values; this exists only to verify correctness.
 */
import { execFileSync } from 'node:child_process';
import type { ModuleSpec } from '../../electron/main/hsm/types';

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
  if (e.KW_REPLACE === '1') {
    m.C_FindObjectsInit(s, [{ type: p.CKA_ID, value: Buffer.from(e.KW_ID, 'hex') }]);
    const found = m.C_FindObjects(s, 16);
    m.C_FindObjectsFinal(s);
    for (const handle of found) m.C_DestroyObject(s, handle);
  }
  m.C_CreateObject(s, [
    { type: p.CKA_CLASS, value: p.CKO_SECRET_KEY },
    { type: p.CKA_KEY_TYPE, value: e.KW_KEY_TYPE === 'AES' ? p.CKK_AES : p.CKK_GENERIC_SECRET },
    { type: p.CKA_TOKEN, value: true },
    { type: p.CKA_PRIVATE, value: true },
    { type: p.CKA_SENSITIVE, value: true },
    { type: p.CKA_ID, value: Buffer.from(e.KW_ID, 'hex') },
    { type: p.CKA_LABEL, value: 'known-secret' },
    { type: p.CKA_SIGN, value: e.KW_KEY_TYPE !== 'AES' },
    { type: p.CKA_VERIFY, value: e.KW_KEY_TYPE !== 'AES' },
    { type: p.CKA_ENCRYPT, value: e.KW_KEY_TYPE === 'AES' },
    { type: p.CKA_DECRYPT, value: e.KW_KEY_TYPE === 'AES' },
    { type: p.CKA_VALUE, value: Buffer.from(e.KW_VALUE, 'hex') },
  ]);
} finally {
  m.C_Finalize();
}
`;

export interface KnownSecretTarget {
  /** A SoftHSM2 module spec (SOFTHSM2_CONF in its env): the script opens the token directly. */
  moduleSpec: ModuleSpec;
  serial: string;
  pin: string;
}

export interface KnownSecretOptions {
  /** Destroy the objects under this CKA_ID first. */
  replaceExisting?: boolean;
  /** CKK_GENERIC_SECRET (an HMAC key, default) or CKK_AES. */
  keyType?: 'GENERIC' | 'AES';
}

export function importKnownSecret(target: KnownSecretTarget, objectId: string, value: Buffer, options: KnownSecretOptions = {}): void {
  const { moduleSpec, serial, pin } = target;
  execFileSync(process.execPath, ['-e', SCRIPT], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      ...moduleSpec.env,
      KW_MODULE: moduleSpec.path,
      KW_REPLACE: options.replaceExisting ? '1' : '0',
      KW_KEY_TYPE: options.keyType ?? 'GENERIC',
      KW_SERIAL: serial,
      KW_PIN: pin,
      KW_ID: objectId,
      KW_VALUE: value.toString('hex'),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
