/**
 * Turns anything thrown inside the worker into an HsmFailure that can cross the process boundary.
 * Only CKR codes and our own texts are passed on: native messages and stacks may describe
 * arguments, so they are dropped.
 */
import { failureFromCkr } from '../ckr';
import { HsmOpError } from './failure';
import type { HsmFailure } from '../types';
import { isPkcs11Error } from './pkcs11';

export function toFailure(error: unknown, operation: string): HsmFailure {
  if (error instanceof HsmOpError) return error.failure;
  if (isPkcs11Error(error)) return failureFromCkr(error.code, operation);
  // pkcs11js throws TypeError for arguments it cannot convert: a validation gap on our side.
  const kind = error instanceof TypeError ? 'rejected an argument' : 'failed unexpectedly';
  return { code: 'InternalFailure', ckr: null, message: `${operation}: the HSM worker ${kind}` };
}
