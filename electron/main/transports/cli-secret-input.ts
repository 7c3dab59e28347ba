import { open } from 'node:fs/promises';
import { MAX_SECRET_BYTES } from '../../../shared/contract';

/** The most a password or PIN read from a file or standard input may be (it is one line). */
export const MAX_PASSWORD_INPUT_BYTES = 4096;

/** A secret that could not be read; the message names the field, never the value or the path. */
export class SecretInputError extends Error {}

/** Reads standard input up to `limit` bytes (more is reported as `limit + 1` bytes); null without one. */
export type StdinReader = (limit: number) => Promise<Buffer | null>;

/** Secret values: the whole input, as the value is (a file may end in a newline that belongs to it). */
export function isValueField(field: string): boolean {
  return field === 'SecretData';
}

/**
 * The text of one secret field from its bytes. SecretData takes everything (base64 of the raw
 * bytes when the operation says `SecretDataType binary`, else UTF-8 text); passwords take the first line.
 */
export function secretFromBytes(field: string, bytes: Buffer, dataType: unknown): string {
  if (!isValueField(field)) {
    if (bytes.length > MAX_PASSWORD_INPUT_BYTES) throw new SecretInputError(`${field}: the input is longer than ${MAX_PASSWORD_INPUT_BYTES} bytes.`);
    return bytes.toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  }
  if (bytes.length > MAX_SECRET_BYTES) throw new SecretInputError(`${field}: the input is larger than ${MAX_SECRET_BYTES} bytes.`);
  if (dataType === 'binary') return bytes.toString('base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SecretInputError(`${field}: the input is not UTF-8 text; give --SecretDataType binary to store raw bytes.`);
  }
}

/**
 * Secret fields that are a JSON object, read whole from a file or standard input, never filled
 * from a password line: an external key store's XksProxyAuthenticationCredential (AWS-shaped) and
 * a ceremony step's Secrets (parameter name -> value).
 */
const JSON_SECRET_EXAMPLES: Record<string, string> = {
  XksProxyAuthenticationCredential: '{"AccessKeyId": "...", "RawSecretAccessKey": "..."}',
  Secrets: '{"ParameterName": "..."}',
};

export function isJsonSecretField(field: string): boolean {
  return Object.hasOwn(JSON_SECRET_EXAMPLES, field);
}

/** A JSON secret field from its bytes; the message never quotes the input. */
export function jsonSecretFromBytes(field: string, bytes: Buffer): unknown {
  if (bytes.length > MAX_PASSWORD_INPUT_BYTES) throw new SecretInputError(`${field}: the input is longer than ${MAX_PASSWORD_INPUT_BYTES} bytes.`);
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    throw new SecretInputError(`${field}: the input is not a JSON object such as ${JSON_SECRET_EXAMPLES[field] ?? '{}'}.`);
  }
}

/** How many bytes to read for a field: one more than allowed, so an oversized input is recognised. */
export function readLimit(field: string): number {
  return (isValueField(field) ? MAX_SECRET_BYTES : MAX_PASSWORD_INPUT_BYTES) + 1;
}

/** Up to `limit` bytes of a file. Errors name the system code only: the path may be a mistyped secret. */
export async function readFileBytes(path: string, limit: number, field: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(limit);
    let length = 0;
    while (length < limit) {
      const { bytesRead } = await handle.read(buffer, length, limit - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new SecretInputError(`--secret-file ${field}: the file cannot be read (${typeof code === 'string' ? code : 'read error'}).`);
  } finally {
    await handle?.close();
  }
}
