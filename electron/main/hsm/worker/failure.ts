/**
 * The error type the worker throws for anything it refuses or that fails, carrying an HsmFailure
 * that crosses the process boundary as data. Messages never contain argument values.
 */
import type { ErrorCode } from '../../../../shared/errors';
import type { HsmFailure } from '../types';

export class HsmOpError extends Error {
  readonly failure: HsmFailure;
  constructor(failure: HsmFailure) {
    super(failure.message);
    this.name = 'HsmOpError';
    this.failure = failure;
  }
}

export function hsmFail(code: ErrorCode, message: string, ckr: string | null = null): HsmOpError {
  return new HsmOpError({ code, ckr, message });
}

/** Argument validation failure; `what` names the argument, never its value. */
export function invalidArg(operation: string, what: string): HsmOpError {
  return hsmFail('InvalidParameter', `${operation}: invalid ${what}`);
}
