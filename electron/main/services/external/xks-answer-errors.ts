import type { ErrorCode } from '../../../../shared/errors';
import { KmsError } from '../../../../shared/errors';

/*
 * How a failed XKS proxy call reads to Keyward's callers: the proxy's error names (spec, "Error
 * Codes") and the transport's failures each become one Keyward code, and ConnectKeyStore's
 * XKS_PROXY_* connection error codes follow from those.
 */

const BY_ERROR_NAME: Record<string, ErrorCode> = {
  AuthenticationFailedException: 'XksProxy.AccessDenied',
  AccessDeniedException: 'XksProxy.AccessDenied',
  InvalidUriPathException: 'XksProxy.InvalidConfiguration',
  KeyNotFoundException: 'XksKey.NotFound',
  InvalidStateException: 'XksKey.InvalidState',
  InvalidKeyUsageException: 'XksKey.InvalidConfiguration',
  InvalidCiphertextException: 'InvalidCiphertext',
  UnsupportedOperationException: 'UnsupportedOperation',
  ThrottlingException: 'Throttling.XksProxy',
  // The proxy answers but its key manager does not.
  InternalException: 'XksProxy.Unreachable',
  DependencyTimeoutException: 'XksProxy.Unreachable',
  // The proxy refused what Keyward sent: Keyward and the proxy disagree on the API.
  ValidationException: 'XksProxy.InvalidResponse',
};

/** Node's socket-level failures: nothing answers at the endpoint's address. */
const UNREACHABLE_ERRNOS: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);

export function proxyRefusal(status: number, errorName: string | null, errorMessage: string | null): KmsError {
  const code = (errorName !== null && Object.hasOwn(BY_ERROR_NAME, errorName) ? BY_ERROR_NAME[errorName] : undefined) ?? codeOfStatus(status);
  const said = errorName ? `${errorName}${errorMessage ? `: ${printable(errorMessage)}` : ''}` : `HTTP ${status}`;
  return new KmsError(code, `The XKS proxy refused the call (${said}).`);
}

function codeOfStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'XksProxy.AccessDenied';
  // A 404 that is not the API's own answer: nothing is served at the configured path.
  if (status === 404) return 'XksProxy.InvalidConfiguration';
  if (status === 429) return 'Throttling.XksProxy';
  return 'XksProxy.InvalidResponse';
}

/** A transport failure (no answer at all) as a Keyward error. */
export function transportFailure(error: unknown): KmsError {
  if (error instanceof KmsError) return error;
  const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : '';
  if (UNREACHABLE_ERRNOS.has(code)) return new KmsError('XksProxy.Unreachable', `The XKS proxy cannot be reached (${code}).`);
  if (isTlsFailure(code)) {
    return new KmsError('XksProxy.InvalidTlsConfiguration', `The XKS proxy's TLS certificate is not trusted for its address (${code}); check XksProxyCaCertificate and XksProxyUriEndpoint.`);
  }
  return new KmsError('XksProxy.Unreachable', `The call to the XKS proxy failed (${code || 'connection closed'}).`);
}

function isTlsFailure(code: string): boolean {
  return code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.includes('CERT') || code.includes('SELF_SIGNED') || code.startsWith('UNABLE_TO_');
}

export function invalidResponse(what: string): KmsError {
  return new KmsError('XksProxy.InvalidResponse', `The XKS proxy's answer is not what the XKS Proxy API specifies: ${what}.`);
}

/** Which ConnectionErrorCode a failed health probe leaves on the store. */
export type XksConnectionErrorCode =
  | 'XKS_PROXY_ACCESS_DENIED'
  | 'XKS_PROXY_INVALID_CONFIGURATION'
  | 'XKS_PROXY_INVALID_RESPONSE'
  | 'XKS_PROXY_INVALID_TLS_CONFIGURATION'
  | 'XKS_PROXY_NOT_REACHABLE'
  | 'XKS_PROXY_TIMED_OUT';

const CONNECTION_ERROR_BY_CODE: Partial<Record<ErrorCode, XksConnectionErrorCode>> = {
  'XksProxy.AccessDenied': 'XKS_PROXY_ACCESS_DENIED',
  'XksProxy.InvalidConfiguration': 'XKS_PROXY_INVALID_CONFIGURATION',
  'XksProxy.InvalidTlsConfiguration': 'XKS_PROXY_INVALID_TLS_CONFIGURATION',
  'XksProxy.Unreachable': 'XKS_PROXY_NOT_REACHABLE',
  'XksProxy.TimedOut': 'XKS_PROXY_TIMED_OUT',
  'Throttling.XksProxy': 'XKS_PROXY_NOT_REACHABLE',
};

export function connectionErrorOf(code: ErrorCode): XksConnectionErrorCode {
  return CONNECTION_ERROR_BY_CODE[code] ?? 'XKS_PROXY_INVALID_RESPONSE';
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}
