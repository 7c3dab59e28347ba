import type { ConnectionErrorCode } from '../../../shared/contract';
import { t } from '../i18n';

/** What a key store ConnectionErrorCode means for the officer, and what to do about it. */
export function connectionErrorText(code: ConnectionErrorCode): string {
  return t(`common.connectionError.${code}`);
}
