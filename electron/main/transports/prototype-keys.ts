/**
 * Finds a key named `__proto__` anywhere in a request. JSON.parse, structured clone and the CLI's
 * --cli-input-json keep it as an own property, but zod (like every `object[key] = value`) drops it
 * from a record without a word: an EncryptionContext `{"__proto__": "tenant-A"}` would then bind
 * nothing and decrypt with `{}` or with `{"__proto__": "tenant-B"}`. Such a key can only be refused.
 * Strict objects already refuse it as unknown; this covers every record of user keys, present and
 * future (encryption contexts, module environments, tags), at the one entry all transports share.
 */
import { echoableName } from './input-issues';

const FORBIDDEN_KEY = '__proto__';
/** Deeper than any contract input; a request nested further is refused by its schema anyway. */
const MAX_DEPTH = 64;

/** Where the first `__proto__` key is, for an error message, or null when there is none. */
export function prototypeKeyPath(value: unknown): string | null {
  const path = findPrototypeKey(value);
  if (path === null) return null;
  // The names above it are the caller's own (context keys): echoed only when they cannot be a secret.
  return path
    .split('.')
    .map((part) => (part === FORBIDDEN_KEY ? part : echoableName(part.replace(/\[\d+\]$/, ''))))
    .join('.');
}


export function findPrototypeKey(value: unknown, path = '', depth = 0): string | null {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findPrototypeKey(item, `${path}[${index}]`, depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const here = path === '' ? key : `${path}.${key}`;
    if (key === FORBIDDEN_KEY) return here;
    const found = findPrototypeKey((value as Record<string, unknown>)[key], here, depth + 1);
    if (found !== null) return found;
  }
  return null;
}
