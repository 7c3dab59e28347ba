import type { SecretDataType } from '../../../shared/contract';
import { tn } from '../i18n';
import '../i18n/areas/secrets';
import { base64ToBytes } from './encoding';

/** How a revealed value is shown: text (JSON is text too) with its size, or a binary's size for download. */
export type RevealedValue =
  | { kind: 'text'; text: string; bytes: number; json: boolean }
  | { kind: 'binary'; bytes: Uint8Array };

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

export function describeValue(data: string, type: SecretDataType): RevealedValue {
  if (type === 'binary') return { kind: 'binary', bytes: base64ToBytes(data) };
  return { kind: 'text', text: data, bytes: new TextEncoder().encode(data).length, json: isJsonObject(data) };
}

/** Where a secret's page is: the name is one path segment, whatever `/` or `+` it holds. */
export function secretPath(name: string): string {
  return `/secrets/${encodeURIComponent(name)}`;
}

/** A CMK as the officer knows it: its first alias when it has one, else its key id. */
export function cmkLabel(keyId: string, aliases: readonly string[] | undefined): string {
  const alias = aliases?.[0];
  return alias ? `${alias} (${keyId})` : keyId;
}

/** A file name for a downloaded binary value: the secret's name with path characters replaced. */
export function valueFileName(secretName: string, versionId: string): string {
  return `${secretName.replace(/[^A-Za-z0-9_.=@+-]+/g, '_')}-${versionId}.bin`;
}

/** "1 byte", "30,720 bytes": in the console's language. */
export function byteCount(bytes: number): string {
  return tn('secrets.bytes', bytes);
}
