import { KmsError } from '../../../../shared/errors';

/**
 * A failure whose FAILURE record the service has already written, in the transaction of the
 * registry change it caused (a counted failed login). The dispatcher must not write a second one.
 */
export class AuditedFailure extends KmsError {
  constructor(error: KmsError, message = error.message) {
    super(error.code, message, error.details);
    this.name = 'AuditedFailure';
  }
}

export function isAuditedFailure(error: unknown): boolean {
  return error instanceof AuditedFailure;
}
