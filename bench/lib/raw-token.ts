/**
 * The baseline: pkcs11js called directly in this process on the same SoftHSM2 token the Keyward
 * core uses (its data directory's softhsm2.conf), with the same mechanisms and parameters, in a
 * tight synchronous loop on one session. No worker, no IPC, no schema checks, no audit.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PKCS11 } from 'pkcs11js';
import { CKA, CKO } from '../../electron/main/hsm/worker/constants';
import { CKM } from '../../electron/main/hsm/mechanisms';

type Pkcs11Js = typeof import('pkcs11js');
export type Handle = Buffer;

const pkcs11js = createRequire(import.meta.url)('pkcs11js') as Pkcs11Js;

export interface RawToken {
  p11: PKCS11;
  P: Pkcs11Js;
  session: Handle;
  /** Handles of the objects whose CKA_ID is `objectId` (hex), by class. */
  find(objectId: string): { secret?: Handle; private?: Handle; public?: Handle };
  openSession(): Handle;
  close(): void;
}

/** Opens the token with `serial` of the SoftHSM2 installation in `dataDir` and logs in. */
export function openRawToken(modulePath: string, dataDir: string, serial: string, userPin: string): RawToken {
  // SoftHSM2 reads its configuration when the library initializes, from the environment.
  process.env.SOFTHSM2_CONF = path.join(dataDir, 'softhsm', 'softhsm2.conf');
  const P = pkcs11js;
  const p11 = new P.PKCS11();
  p11.load(modulePath);
  p11.C_Initialize({ flags: P.CKF_OS_LOCKING_OK });
  const slot = p11.C_GetSlotList(true).find((candidate) => p11.C_GetTokenInfo(candidate).serialNumber.trim() === serial);
  if (!slot) throw new Error(`no token with serial ${serial}`);
  const openSession = (): Handle => p11.C_OpenSession(slot, P.CKF_SERIAL_SESSION | P.CKF_RW_SESSION);
  const session = openSession();
  try {
    p11.C_Login(session, P.CKU_USER, userPin);
  } catch (error) {
    // Another session of this process may already be logged in.
    if ((error as { code?: number }).code !== 0x100) throw error;
  }
  return {
    p11,
    P,
    session,
    openSession,
    find(objectId) {
      p11.C_FindObjectsInit(session, [{ type: CKA.ID, value: Buffer.from(objectId, 'hex') }]);
      const handles = p11.C_FindObjects(session, 8);
      p11.C_FindObjectsFinal(session);
      const found: { secret?: Handle; private?: Handle; public?: Handle } = {};
      for (const handle of handles) {
        const [cls] = p11.C_GetAttributeValue(session, handle, [{ type: CKA.CLASS }]);
        const value = (cls?.value as Buffer).readUInt32LE(0);
        if (value === CKO.SECRET_KEY) found.secret = handle;
        if (value === CKO.PRIVATE_KEY) found.private = handle;
        if (value === CKO.PUBLIC_KEY) found.public = handle;
      }
      return found;
    },
    close() {
      p11.C_Finalize();
      p11.close();
    },
  };
}

export function gcmMechanism(P: Pkcs11Js, iv: Buffer, aad: Buffer) {
  return {
    mechanism: CKM.AES_GCM,
    parameter: { type: P.CK_PARAMS_AES_GCM_v240, iv, ivBits: iv.length * 8, aad, tagBits: 128 },
  };
}
