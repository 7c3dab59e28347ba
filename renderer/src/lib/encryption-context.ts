/** EncryptionContext typed as `key=value` lines (blank lines and `#` comments ignored). */
import { t } from '../i18n';
import '../i18n/areas/keyDetail';

export type ParsedContext =
  | { ok: true; context: Record<string, string> | undefined }
  | { ok: false; error: string };

export const MAX_CONTEXT_ENTRIES = 16;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 1024;

export function parseEncryptionContext(text: string): ParsedContext {
  const context: Record<string, string> = {};
  let count = 0;
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    // Plain numbers: the limits read the same in every language (no digit grouping).
    const where = { line: String(index + 1) };
    const separator = line.indexOf('=');
    if (separator <= 0) return { ok: false, error: t('keyDetail.encryptionContext.expectedKeyValue', where) };
    const key = line.slice(0, separator).trim();
    const value = line.slice(separator + 1).trim();
    if (key === '') return { ok: false, error: t('keyDetail.encryptionContext.emptyKey', where) };
    if (key.length > MAX_KEY_LENGTH) return { ok: false, error: t('keyDetail.encryptionContext.keyTooLong', { ...where, max: String(MAX_KEY_LENGTH) }) };
    if (value.length > MAX_VALUE_LENGTH) {
      return { ok: false, error: t('keyDetail.encryptionContext.valueTooLong', { ...where, max: String(MAX_VALUE_LENGTH) }) };
    }
    if (Object.prototype.hasOwnProperty.call(context, key)) return { ok: false, error: t('keyDetail.encryptionContext.duplicate', { ...where, key }) };
    context[key] = value;
    count++;
    if (count > MAX_CONTEXT_ENTRIES) return { ok: false, error: t('keyDetail.encryptionContext.tooMany', { max: String(MAX_CONTEXT_ENTRIES) }) };
  }
  return { ok: true, context: count === 0 ? undefined : context };
}
