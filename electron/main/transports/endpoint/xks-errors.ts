import type { ErrorCode } from '../../../../shared/errors';

/*
 * The XKS Proxy API's error answers (spec, "Error Codes"): an HTTP status and a JSON body
 * `{errorName, errorMessage}`, the message under 512 printable ASCII characters.
 */

export interface XksError {
  status: number;
  errorName: string;
}

const BY_CODE: Partial<Record<ErrorCode, XksError>> = {
  InvalidParameter: { status: 400, errorName: 'ValidationException' },
  MissingParameter: { status: 400, errorName: 'ValidationException' },
  'Forbidden.KeyState': { status: 400, errorName: 'InvalidStateException' },
  'Forbidden.KeyStoreState': { status: 400, errorName: 'InvalidStateException' },
  InvalidCiphertext: { status: 400, errorName: 'InvalidCiphertextException' },
  'Forbidden.KeyUsage': { status: 400, errorName: 'InvalidKeyUsageException' },
  'NotFound.Key': { status: 404, errorName: 'KeyNotFoundException' },
  'NotFound.Alias': { status: 404, errorName: 'KeyNotFoundException' },
  'NotFound.XksProxy': { status: 404, errorName: 'InvalidUriPathException' },
  // The four APIs are POSTs: a GET at their URIs is refused with 405 (spec, "API Operations").
  InvalidAction: { status: 405, errorName: 'ValidationException' },
  UnsupportedOperation: { status: 501, errorName: 'UnsupportedOperationException' },
  RequestTooLarge: { status: 501, errorName: 'UnsupportedOperationException' },
  'Throttling.HsmSessionsBusy': { status: 503, errorName: 'DependencyTimeoutException' },
};

/** The XKS answer for a Keyward refusal; anything unexpected (or an HSM failure) is InternalException. */
export function xksErrorOf(code: ErrorCode): XksError {
  const known = BY_CODE[code];
  if (known) return known;
  if (code.startsWith('Unauthenticated.')) return { status: 401, errorName: 'AuthenticationFailedException' };
  if (code.startsWith('Forbidden.')) return { status: 403, errorName: 'AccessDeniedException' };
  if (code.startsWith('Throttling.')) return { status: 429, errorName: 'ThrottlingException' };
  return { status: 500, errorName: 'InternalException' };
}

/** Printable ASCII only, under 512 characters. */
export function xksErrorMessage(message: string): string {
  return message.replace(/[‘’]/g, "'").replace(/[^\x20-\x7e]/g, '?').slice(0, 511);
}
