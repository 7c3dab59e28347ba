import type { ConnectionErrorCode } from '../../../shared/contract';

/** What each key store ConnectionErrorCode means for the officer, and what to do about it. */
const TEXT: Record<ConnectionErrorCode, string> = {
  INVALID_CREDENTIALS: 'The kmsuser password was refused by the HSMs. Connect again with the right password.',
  CLUSTER_NOT_FOUND: 'The cluster of this key store no longer exists.',
  CLUSTER_NOT_ACTIVE: 'The cluster is not active: activate it on its cluster page, then connect.',
  INSUFFICIENT_HSMS: 'Too few HSMs of the cluster are reachable to serve keys. Check the members on the cluster page.',
  USER_NOT_FOUND: 'The crypto user kmsuser does not exist on the cluster. Create it in the cluster set-up.',
  USER_LOCKED_OUT: 'Too many failed logins: the key store is locked and refuses every password. An officer clears the lockout with the cluster SO PIN (Unlock), then connects.',
  TRUST_ANCHOR_MISMATCH: 'The cluster owner key in the HSMs does not match the trust anchor certificate of this key store.',
  NETWORK_ERRORS: 'A network HSM did not answer. Check its p11-kit server, then connect again.',
  INTERNAL_ERROR: 'The host failed while connecting; the audit log has the details.',
};

export function connectionErrorText(code: ConnectionErrorCode): string {
  return TEXT[code];
}
