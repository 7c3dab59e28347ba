/**
 * Where the audit signing key lives on the default key store's token. Kept apart from the service
 * so the reconciler can name it as infrastructure without importing the service.
 */
export const AUDIT_SIGNING_LABEL = 'keyward-audit-signing';
/**
 * CKA_ID of the signing key pair: fixed (the bytes of "keyward:auditsig"), like the instance CA's.
 * Sixteen bytes, as the HSM worker accepts for every object id.
 */
export const AUDIT_SIGNING_KEY_ID = Buffer.from('keyward:auditsig', 'ascii').toString('hex');
