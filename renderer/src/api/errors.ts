import { isKmsErrorBody, type ErrorCode, type KmsErrorBody } from '../../../shared/errors';

/** Failures of the client itself, before or after the host answered. */
export type ClientErrorCode = 'Client.ConnectionLost' | 'Client.NotConnected' | 'Client.InvalidResponse';

export type KmsClientErrorCode = ErrorCode | ClientErrorCode;

/** What every failed `invoke` throws: the host's `{Code, Message, RequestId}`, or a client-side code. */
export class KmsClientError extends Error {
  readonly Code: KmsClientErrorCode;
  readonly Message: string;
  readonly RequestId: string;

  constructor(code: KmsClientErrorCode, message: string, requestId = '') {
    super(`${code}: ${message}`);
    this.name = 'KmsClientError';
    this.Code = code;
    this.Message = message;
    this.RequestId = requestId;
  }

  static fromBody(body: KmsErrorBody): KmsClientError {
    return new KmsClientError(body.Code, body.Message, body.RequestId);
  }

  /** Accepts any error body the host sent; a malformed one becomes Client.InvalidResponse. */
  static fromUnknown(value: unknown): KmsClientError {
    if (isKmsErrorBody(value)) return KmsClientError.fromBody(value);
    return new KmsClientError('Client.InvalidResponse', 'The host answered with an error this console does not understand.');
  }
}

export function isKmsClientError(error: unknown): error is KmsClientError {
  return error instanceof KmsClientError;
}
