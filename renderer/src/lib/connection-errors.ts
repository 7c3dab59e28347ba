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
  XKS_PROXY_ACCESS_DENIED:
    'The XKS proxy refused the credential. Check that the access key id and secret access key match a credential the proxy currently accepts (it may have been rotated or retired), then edit the proxy settings and connect again.',
  XKS_PROXY_INVALID_CONFIGURATION:
    'The XKS proxy answered that the request does not fit its configuration. Check the URI path (including its prefix) against the proxy’s own settings.',
  XKS_PROXY_INVALID_RESPONSE:
    'The XKS proxy answered, but not as the XKS proxy API v1 says. Check that the URI endpoint and path point at an XKS proxy and not at another web server.',
  XKS_PROXY_INVALID_TLS_CONFIGURATION:
    'The TLS connection to the XKS proxy failed: its certificate is not trusted or does not name the endpoint’s host. Check the CA certificate in the proxy settings and the host name in the URI endpoint.',
  XKS_PROXY_NOT_REACHABLE:
    'The XKS proxy could not be reached. Check that it is running and that the URI endpoint (host and port) is right, then connect again.',
  XKS_PROXY_TIMED_OUT: 'The XKS proxy did not answer in time. Check that it and its external HSMs are running and not overloaded, then connect again.',
};

export function connectionErrorText(code: ConnectionErrorCode): string {
  return TEXT[code];
}
