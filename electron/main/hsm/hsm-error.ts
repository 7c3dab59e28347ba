/**
 * The error every HSM call fails with in the main process: a KmsError (so transports map it like
 * any other) that also carries the PKCS#11 return value's name when the module gave one, so
 * services can tell failures apart without casts.
 */
import { KmsError, type ErrorCode } from '../../../shared/errors';

export class HsmError extends KmsError {
  /** e.g. 'CKR_DEVICE_ERROR'; null for failures that did not come from the module (timeouts, crashes). */
  readonly ckr: string | null;
  constructor(code: ErrorCode, message: string, ckr: string | null = null) {
    super(code, message);
    this.name = 'HsmError';
    this.ckr = ckr;
  }
}

/** The PKCS#11 return value's name behind an error, if it came from the module. */
export function ckrOf(error: unknown): string | null {
  return error instanceof HsmError ? error.ckr : null;
}
