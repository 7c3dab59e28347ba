import { isKmsErrorBody, type ErrorCode, type KmsErrorBody } from '../../../shared/errors';

/** Failures of the client itself, before or after the host answered. */
export type ClientErrorCode = 'Client.ConnectionLost' | 'Client.NotConnected' | 'Client.InvalidResponse';

export type KmsClientErrorCode = ErrorCode | ClientErrorCode;

/** What every failed `invoke` throws: the host's `{Code, Message, RequestId, Details}`, or a client-side code. */
export class KmsClientError extends Error {
  readonly Code: KmsClientErrorCode;
  readonly Message: string;
  readonly RequestId: string;
  /** What some refusals carry to act on (QuorumRequired: ApprovalRequestId, RequestDigest, Expires, MinApprovals). */
  readonly Details: Readonly<Record<string, string>>;

  constructor(code: KmsClientErrorCode, message: string, requestId = '', details: Record<string, string> = {}) {
    super(`${code}: ${message}`);
    this.name = 'KmsClientError';
    this.Code = code;
    this.Message = message;
    this.RequestId = requestId;
    this.Details = details;
  }

  static fromBody(body: KmsErrorBody): KmsClientError {
    return new KmsClientError(body.Code, body.Message, body.RequestId, stringEntries(body.Details));
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

/** Only the string entries of an error body's Details: the body comes from the wire. */
function stringEntries(details: unknown): Record<string, string> {
  if (typeof details !== 'object' || details === null) return {};
  return Object.fromEntries(Object.entries(details).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
