import type { ErrorCode } from '../../../../shared/errors';

/** The HTTP status of a refusal, the same for both wire protocols. */
export function httpStatusOf(code: ErrorCode): number {
  if (code.startsWith('Unauthenticated.')) return 401;
  if (code.startsWith('Forbidden.')) return 403;
  if (code.startsWith('NotFound.') || code === 'InvalidAction') return 404;
  if (code === 'RequestTooLarge') return 413;
  if (code === 'InternalFailure') return 500;
  if (code.startsWith('HsmError.')) return 503;
  return 400;
}

export type AwsService = 'kms' | 'secretsmanager';

/**
 * The AWS error type (`__type`) an SDK turns into its exception class. The Keyward code stays in
 * the message and the `x-keyward-error-code` header, so each refusal is still told apart.
 */
export function awsErrorTypeOf(code: ErrorCode, service: AwsService): string {
  if (code === 'Unauthenticated.Signature' || code === 'Unauthenticated.SignatureExpired') return 'InvalidSignatureException';
  if (code.startsWith('Unauthenticated.')) return 'UnrecognizedClientException';
  if (code.startsWith('NotFound.')) return service === 'kms' ? 'NotFoundException' : 'ResourceNotFoundException';
  if (code === 'InvalidParameter' || code === 'MissingParameter' || code === 'RequestTooLarge') {
    return service === 'kms' ? 'ValidationException' : 'InvalidParameterException';
  }
  if (code === 'InvalidAction') return 'UnknownOperationException';
  if (code === 'InternalFailure' || code.startsWith('HsmError.')) return service === 'kms' ? 'KMSInternalException' : 'InternalServiceError';
  if (service === 'secretsmanager') {
    if (code.startsWith('Forbidden.Secret') || code === 'Forbidden.KeyState' || code === 'InvalidCiphertext') return 'InvalidRequestException';
    if (code.startsWith('Forbidden.')) return 'AccessDeniedException';
    return 'InvalidRequestException';
  }
  return KMS_TYPES[code] ?? (code.startsWith('Forbidden.') ? 'AccessDeniedException' : 'ValidationException');
}

const KMS_TYPES: Partial<Record<ErrorCode, string>> = {
  'Forbidden.KeyState': 'DisabledException',
  'Forbidden.KeyUsage': 'InvalidKeyUsageException',
  'Forbidden.KeyStoreState': 'KMSInvalidStateException',
  InvalidCiphertext: 'InvalidCiphertextException',
  UnsupportedOperation: 'UnsupportedOperationException',
};
