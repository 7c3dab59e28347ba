import type { KmsClientErrorCode } from '../api/errors';

/** Login failures the unlock screen explains inline rather than as a notification. */
const UNLOCK_ERRORS: Partial<Record<KmsClientErrorCode, string>> = {
  'HsmError.PinIncorrect': 'Incorrect password',
  'HsmError.PinInvalid': 'Incorrect password',
  'HsmError.PinLocked': 'The key store user is locked out. An officer with the SO PIN must reset it.',
};

export function unlockErrorText(code: KmsClientErrorCode): string | null {
  return UNLOCK_ERRORS[code] ?? null;
}
