import { z } from 'zod';

/** Largest plaintext accepted by Encrypt, as in the cloud services. */
export const MAX_PLAINTEXT_BYTES = 6144;
/** Largest ciphertext blob accepted by Decrypt (plaintext limit plus header, IV and tag). */
export const MAX_CIPHERTEXT_BYTES = 6144 + 256;
/** Largest serialized request any transport accepts. */
export const MAX_REQUEST_BYTES = 256 * 1024;

const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Canonical base64 whose decoded length is within [minBytes, maxBytes]. */
export function base64Bytes(minBytes: number, maxBytes: number) {
  const maxChars = Math.ceil(maxBytes / 3) * 4;
  return z
    .string()
    .max(maxChars, `must be base64 of at most ${maxBytes} bytes`)
    .regex(BASE64_PATTERN, 'must be canonical base64')
    .refine((value) => {
      const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
      const length = (value.length / 4) * 3 - padding;
      return length >= minBytes && length <= maxBytes;
    }, `must decode to ${minBytes}-${maxBytes} bytes`);
}

export const uuidSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lowercase UUID');

/** A key id, an alias name (`alias/...`) or an ARN (`acs:kms:<region>:<owner>:key/<id>`). */
export const keyIdentifierSchema = z.string().min(1).max(256);

export const aliasNameSchema = z
  .string()
  .min(7)
  .max(255)
  .regex(/^alias\/[A-Za-z0-9_/-]+$/, 'must look like alias/[A-Za-z0-9_/-]+');

export const secretNameSchema = z
  .string()
  .min(1)
  .max(192)
  .regex(/^[A-Za-z0-9_/+=.@-]+$/, 'must be 1-192 characters of A-Z a-z 0-9 _ / + = . @ -');

/** Key store password / PIN. Never stored, never logged. */
export const passwordSchema = z
  .string()
  .min(8, 'must be 8-64 characters')
  .max(64, 'must be 8-64 characters')
  .regex(/[A-Za-z]/, 'must contain a letter')
  .regex(/[0-9]/, 'must contain a digit')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** A point in time as the API takes it: ISO 8601 in UTC (`Z`), e.g. `2019-07-04T13:14:15Z`. */
export const utcTimestampSchema = z.iso.datetime({ offset: false });
export const pageNumberSchema = z.number().int().min(1).max(1_000_000).default(1);
export const pageSizeSchema = z.number().int().min(1).max(100).default(20);

/**
 * A name a user gives to an entry of a record or list (context key, tag key). `__proto__` cannot be
 * held as data by a JavaScript object (assignment changes the prototype and the entry vanishes),
 * so it is refused rather than silently dropped; the dispatcher also refuses it as a raw key.
 */
export function userKeyNameSchema(maxLength: number) {
  return z
    .string()
    .min(1)
    .max(maxLength)
    .refine((name) => name !== '__proto__', 'must not be "__proto__"');
}

export const encryptionContextSchema = z
  .record(userKeyNameSchema(128), z.string().max(1024))
  .refine((ctx) => Object.keys(ctx).length <= 16, 'at most 16 entries');
