/**
 * Where the audit anchor lives: in the default key store's token, outside registry.sqlite. Two
 * objects, both private (only the officer's login finds them) and both Keyward's own
 * (ReconcileKeyStore counts them as infrastructure):
 * - the anchor key, an HMAC-SHA256 secret generated in the token on first use: sensitive, never
 *   extractable, usable only to sign and verify;
 * - the anchor itself, a data object whose value is {Sequence, Hash, Time} plus their HMAC.
 * Moving the anchor needs the login; forging one also needs the key, which never leaves the HSM.
 */
import { errorCodeOf } from '../../../../shared/errors';
import type { HsmToken } from '../../hsm';
import { type AuditAnchor, anchorMacInput, decodeAnchor, encodeAnchor } from './anchor-codec';

export const AUDIT_ANCHOR_LABEL = 'keyward-audit-anchor';
/** CKA_ID of the anchor key: fixed (the bytes of "keyward:auditkey"), so every process finds the same key. */
export const AUDIT_ANCHOR_KEY_ID = Buffer.from('keyward:auditkey', 'ascii').toString('hex');

export type AnchorReading =
  /** Nothing anchored yet (a new installation, or one from before anchoring). */
  | { status: 'ABSENT' }
  | { status: 'VALID'; anchor: AuditAnchor }
  /** Anchor objects exist, but none carries a valid HMAC: garbled, forged, or its key is gone. */
  | { status: 'INVALID'; reason: string };

function isObjectNotFound(error: unknown): boolean {
  return errorCodeOf(error) === 'HsmError.ObjectNotFound';
}

export class AuditAnchorStore {
  /** The newest anchor with a valid HMAC (a crash inside a write can leave two). */
  async read(token: HsmToken): Promise<AnchorReading> {
    const values = await token.getDataObjects({ label: AUDIT_ANCHOR_LABEL });
    if (values.length === 0) return { status: 'ABSENT' };
    let newest: AuditAnchor | null = null;
    for (const value of values) {
      const decoded = decodeAnchor(value);
      if (!decoded || !(await this.macMatches(token, decoded.anchor, decoded.mac))) continue;
      if (!newest || decoded.anchor.sequence > newest.sequence) newest = decoded.anchor;
    }
    if (newest) return { status: 'VALID', anchor: newest };
    return {
      status: 'INVALID',
      reason: `the anchor held in the HSM is damaged or forged: ${values.length === 1 ? 'its value does not' : `none of its ${values.length} values does`} carry a valid HMAC of the anchor key`,
    };
  }

  async write(token: HsmToken, anchor: AuditAnchor): Promise<void> {
    const mac = await this.mac(token, anchor);
    await token.putDataObject({ label: AUDIT_ANCHOR_LABEL, value: encodeAnchor(anchor, mac) });
  }

  private async mac(token: HsmToken, anchor: AuditAnchor): Promise<Buffer> {
    const args = { objectId: AUDIT_ANCHOR_KEY_ID, mechanism: 'SHA256_HMAC' as const, data: anchorMacInput(anchor) };
    try {
      return await token.sign(args);
    } catch (error) {
      if (!isObjectNotFound(error)) throw error;
    }
    await this.createKey(token);
    return token.sign(args);
  }

  private async createKey(token: HsmToken): Promise<void> {
    try {
      await token.generateKey({
        objectId: AUDIT_ANCHOR_KEY_ID,
        label: AUDIT_ANCHOR_LABEL,
        spec: { kind: 'HMAC', bits: 256 },
        policy: { wrapWithTrusted: false, extractable: false },
      });
    } catch (error) {
      // Another process (a CLI call next to the app) created it first.
      if (errorCodeOf(error) !== 'InvalidParameter') throw error;
    }
  }

  private async macMatches(token: HsmToken, anchor: AuditAnchor, mac: Buffer): Promise<boolean> {
    try {
      return await token.verify({
        objectId: AUDIT_ANCHOR_KEY_ID,
        mechanism: 'SHA256_HMAC',
        data: anchorMacInput(anchor),
        signature: mac,
      });
    } catch (error) {
      if (isObjectNotFound(error)) return false;
      throw error;
    }
  }
}
