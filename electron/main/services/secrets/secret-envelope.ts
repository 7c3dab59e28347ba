import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretDataType } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';

/*
 * The value half of envelope encryption, in this process: AES-256-GCM under a version's own data
 * key, with the secret's ARN and the version id as additional data, so a sealed value moved to
 * another secret or version does not open. The data key half (made and wrapped in the HSM) binds
 * the same two names through its encryption context.
 */

export const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The additional data of a sealed value: unambiguous for any ARN and version id. */
export function valueAad(arn: string, versionId: string): Buffer {
  return Buffer.from(JSON.stringify(['keyward-secret-value', arn, versionId]), 'utf8');
}

/** The encryption context a version's data key is wrapped under. */
export function dataKeyContext(arn: string, versionId: string): Record<string, string> {
  return { 'keyward:secret-arn': arn, 'keyward:secret-version': versionId };
}

/** IV (12) || ciphertext || tag (16). */
export function sealValue(dataKey: Buffer, value: Buffer, aad: Buffer): Buffer {
  if (dataKey.length !== DATA_KEY_BYTES) throw new KmsError('InternalFailure', 'A secret data key must be 256 bits.');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  return Buffer.concat([iv, cipher.update(value), cipher.final(), cipher.getAuthTag()]);
}

/** Opens a sealed value; anything changed (value, key, AAD) is InvalidCiphertext, never other plaintext. */
export function openValue(dataKey: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (dataKey.length !== DATA_KEY_BYTES || sealed.length < IV_BYTES + TAG_BYTES) {
    throw new KmsError('InvalidCiphertext', 'The stored secret value is damaged.');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new KmsError('InvalidCiphertext', 'The stored secret value failed authentication: it was changed or moved.');
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** SecretData as bytes: text as UTF-8 (well-formed only, so it reads back as given), binary from base64. */
export function encodeSecretData(data: string, type: SecretDataType): Buffer {
  if (type === 'binary') return Buffer.from(data, 'base64');
  if (LONE_SURROGATE.test(data)) throw new KmsError('InvalidParameter', 'SecretData text must be well-formed Unicode (no lone surrogates); use SecretDataType binary for raw bytes.');
  return Buffer.from(data, 'utf8');
}

export function decodeSecretData(value: Buffer, type: SecretDataType): string {
  return type === 'binary' ? value.toString('base64') : value.toString('utf8');
}
