import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { CeremonyStep, ceremonyRecordedOutputSchema } from '../../../../shared/contract';
import { canonicalJson } from '../../registry';

export type CeremonyRecordedOutput = z.infer<typeof ceremonyRecordedOutputSchema>;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\s]*?)-----END \1-----/;

/**
 * The step's Outputs read from the operation's result: VALUE as a string (numbers/booleans
 * stringified), SHA256 of a PEM as SHA-256 of its DER, else of the UTF-8 value. A missing path
 * records Value "" (never throws): the operation ran, and what it returned is not the step's fault.
 */
export function recordOutputs(step: CeremonyStep, result: unknown): CeremonyRecordedOutput[] {
  return step.Outputs.map((spec) => {
    const text = asText(valueAt(result, spec.From));
    if (spec.Kind === 'VALUE' || text === '') return { Name: spec.Name, Kind: spec.Kind, Value: text };
    return { Name: spec.Name, Kind: spec.Kind, Value: fingerprint(text) };
  });
}

/** SHA-256 (lowercase hex) of the DER inside a PEM, or of the UTF-8 text when it holds none. */
export function fingerprint(text: string): string {
  const pem = PEM_BLOCK.exec(text);
  const bytes = pem ? Buffer.from((pem[2] ?? '').replace(/\s+/g, ''), 'base64') : Buffer.from(text, 'utf8');
  return createHash('sha256').update(bytes).digest('hex');
}

/** Follows a dot path; a numeric segment indexes an array. Own properties only. */
function valueAt(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else if (typeof current === 'object' && current !== null && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    // An object or array (rarely wanted): its canonical JSON, so the same result records the same text.
    return canonicalJson(value);
  } catch {
    return '';
  }
}
