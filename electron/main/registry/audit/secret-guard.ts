import { AuditSecretError } from '../errors';

/**
 * Defence in depth: callers strip secrets before auditing (the contract marks them in
 * `secretFields`), but a record that names a PIN, password or key material is refused outright,
 * because once written into a hash-chained log it cannot be removed without breaking the chain.
 * Deliberately broad ("pin" also matches "mapping"): a false alarm costs a rename, a miss costs a leak.
 */
export const SECRET_KEY_PATTERN = /pin|password|secret|plaintext|private/i;

/**
 * The one exemption: a lowercase "pin" inside an "-ping" word ("WrappingAlgorithm" and
 * "WrappingKeySpec" are GetParametersForImport parameters, "Mapping", "Grouping"). Without it the
 * guard would refuse ordinary import records. "PinGenerated", "SoPIN" or "userpin" still match.
 */
const PING_WORD = /pin(?=g)/g;

function looksSecret(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key.replace(PING_WORD, ''));
}

/** Throws AuditSecretError naming the first secret-looking key, searching nested objects and arrays too. */
export function assertNoSecrets(value: unknown, path = ''): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertNoSecrets(item, `${path}[${index}]`));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyPath = path === '' ? key : `${path}.${key}`;
    if (looksSecret(key)) throw new AuditSecretError(keyPath);
    assertNoSecrets(item, keyPath);
  }
}
