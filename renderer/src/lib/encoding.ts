/** Base64 and UTF-8 conversions for operation inputs and outputs (binary values cross the wire as base64). */

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + chunk));
  }
  return btoa(binary);
}

/** Decodes base64 (whitespace ignored); throws on anything that is not base64. */
export function base64ToBytes(base64: string): Uint8Array {
  const compact = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw new Error('not valid base64');
  }
  const binary = atob(compact);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

export function utf8ToBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}

export interface DecodedText {
  text: string;
  /** False when the bytes are not valid UTF-8; `text` then holds replacement characters. */
  validUtf8: boolean;
}

export function base64ToUtf8(base64: string): DecodedText {
  const bytes = base64ToBytes(base64);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), validUtf8: true };
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes), validUtf8: false };
  }
}

/** Removes whitespace a copy-paste may add inside a blob. */
export function compactBase64(value: string): string {
  return value.replace(/\s+/g, '');
}
