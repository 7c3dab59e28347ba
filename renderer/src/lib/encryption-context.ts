/** EncryptionContext typed as `key=value` lines (blank lines and `#` comments ignored). */

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
    const where = `line ${index + 1}`;
    const separator = line.indexOf('=');
    if (separator <= 0) return { ok: false, error: `${where}: expected key=value` };
    const key = line.slice(0, separator).trim();
    const value = line.slice(separator + 1).trim();
    if (key === '') return { ok: false, error: `${where}: the key is empty` };
    if (key.length > MAX_KEY_LENGTH) return { ok: false, error: `${where}: keys are at most ${MAX_KEY_LENGTH} characters` };
    if (value.length > MAX_VALUE_LENGTH) return { ok: false, error: `${where}: values are at most ${MAX_VALUE_LENGTH} characters` };
    if (Object.prototype.hasOwnProperty.call(context, key)) return { ok: false, error: `${where}: "${key}" appears twice` };
    context[key] = value;
    count++;
    if (count > MAX_CONTEXT_ENTRIES) return { ok: false, error: `at most ${MAX_CONTEXT_ENTRIES} entries` };
  }
  return { ok: true, context: count === 0 ? undefined : context };
}
