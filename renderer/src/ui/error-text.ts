import type { KmsClientErrorCode } from '../api/errors';

/** Login failures the unlock screen explains inline rather than as a notification. */
const UNLOCK_ERRORS: Partial<Record<KmsClientErrorCode, string>> = {
  'HsmError.PinIncorrect': 'Incorrect password',
  'HsmError.PinInvalid': 'Incorrect password',
  'HsmError.PinLocked': 'The key store user is locked out. An officer with the SO PIN must reset it.',
  'Throttling.LoginBackoff': 'Too many failed attempts: wait a moment, then try again.',
};

/** Codes whose host message is the better text: it says how many seconds to wait. */
const HOST_MESSAGE_CODES: ReadonlySet<KmsClientErrorCode> = new Set(['Throttling.LoginBackoff']);

export function unlockErrorText(code: KmsClientErrorCode, hostMessage = ''): string | null {
  if (HOST_MESSAGE_CODES.has(code) && hostMessage) return hostMessage;
  return UNLOCK_ERRORS[code] ?? null;
}
