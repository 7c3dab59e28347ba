/**
 * Deterministic JSON for hashing: object keys sorted by UTF-16 code units, no whitespace, numbers
 * and strings as JSON.stringify writes them. For the plain values the audit log holds this is the
 * same text as RFC 8785 (JCS), so an external verifier can recompute hashes with any JCS library.
 *
 * Values JSON cannot represent faithfully (undefined inside arrays, NaN, Infinity, bigint,
 * functions, symbols, non-plain objects such as Date or Buffer) throw: silently writing `null`
 * would make two different inputs hash alike. `undefined` object properties are skipped, as in
 * JSON.stringify, so optional fields left unset do not change the hash.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, '$');
}

function serialize(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number at ${path}`);
      return JSON.stringify(value);
    case 'object':
      return Array.isArray(value) ? serializeArray(value, path) : serializeObject(value, path);
    default:
      throw new TypeError(`canonicalJson: unsupported ${typeof value} at ${path}`);
  }
}

function serializeArray(items: readonly unknown[], path: string): string {
  const parts = items.map((item, index) => {
    if (item === undefined) throw new TypeError(`canonicalJson: undefined at ${path}[${index}]`);
    return serialize(item, `${path}[${index}]`);
  });
  return `[${parts.join(',')}]`;
}

function serializeObject(object: object, path: string): string {
  const prototype: unknown = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError(`canonicalJson: non-plain object at ${path}`);
  }
  const record = object as Record<string, unknown>;
  // Default sort compares UTF-16 code units, which is what JCS prescribes.
  const keys = Object.keys(record).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${serialize(item, `${path}.${key}`)}`);
  }
  return `{${parts.join(',')}}`;
}
