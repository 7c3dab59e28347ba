import type { KmsClientErrorCode } from '../api/errors';
import { t } from '../i18n';

/** Login failures the unlock screen explains inline rather than as a notification (catalogue keys). */
const UNLOCK_ERRORS: Partial<Record<KmsClientErrorCode, string>> = {
  'HsmError.PinIncorrect': 'shell.gate.incorrectPassword',
  'HsmError.PinInvalid': 'shell.gate.incorrectPassword',
  'HsmError.PinLocked': 'shell.gate.pinLocked',
  'Throttling.LoginBackoff': 'shell.gate.backoff',
};

/** Codes whose host message is the better text: it says how many seconds to wait. */
const HOST_MESSAGE_CODES: ReadonlySet<KmsClientErrorCode> = new Set(['Throttling.LoginBackoff']);

export function unlockErrorText(code: KmsClientErrorCode, hostMessage = ''): string | null {
  if (HOST_MESSAGE_CODES.has(code) && hostMessage) return hostMessage;
  const key = UNLOCK_ERRORS[code];
  return key ? t(key) : null;
}
