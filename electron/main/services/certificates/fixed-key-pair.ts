import { errorCodeOf } from '../../../../shared/errors';
import type { TokenHandle } from '../keystores/connections';

/**
 * Generates Keyward's own EC P-256 key pair under a fixed CKA_ID (the instance CA, the audit
 * signing key), never extractable. True when this call made it; false when it existed already
 * (another process made it first, or a crash came between it and whatever records it).
 */
export async function generateFixedEcKeyPair(token: TokenHandle, objectId: string, label: string): Promise<boolean> {
  try {
    await token.hsm.generateKey({ objectId, label, spec: { kind: 'EC', curve: 'P-256' }, policy: { wrapWithTrusted: false, extractable: false } });
    return true;
  } catch (error) {
    if (errorCodeOf(error) !== 'InvalidParameter') throw error;
    return false;
  }
}
