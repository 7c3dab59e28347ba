import { z } from 'zod';
import { defineOperation } from './define';
import { signingAlgorithmSchema } from './enums';
import {
  MAX_CIPHERTEXT_BYTES,
  MAX_PLAINTEXT_BYTES,
  base64Bytes,
  encryptionContextSchema,
  keyIdentifierSchema,
  uuidSchema,
} from './primitives';

const keyStateErrors = ['NotFound.Key', 'NotFound.Alias', 'NotFound.KeyVersion', 'Forbidden.KeyState', 'Forbidden.KeyUsage', 'Forbidden.KeyStoreState'] as const;
const hsmErrors = ['HsmError.DeviceError', 'HsmError.DeviceRemoved', 'HsmError.ObjectNotFound', 'UnsupportedOperation'] as const;

const keyAndVersion = z.object({ KeyId: z.string(), KeyVersionId: z.string() });

export const cryptoOperations = {
  Encrypt: defineOperation({
    summary: `AES-GCM encryption inside the HSM with the primary key version; at most ${MAX_PLAINTEXT_BYTES} bytes.`,
    input: z.strictObject({
      KeyId: keyIdentifierSchema,
      Plaintext: base64Bytes(1, MAX_PLAINTEXT_BYTES),
      EncryptionContext: encryptionContextSchema.optional(),
    }),
    result: z.object({ CiphertextBlob: z.string(), KeyId: z.string(), KeyVersionId: z.string() }),
    errors: [...keyStateErrors, ...hsmErrors],
    mutates: false,
  }),
  Decrypt: defineOperation({
    summary: 'Decrypt a self-describing ciphertext blob; the key is read from the blob.',
    input: z.strictObject({
      CiphertextBlob: base64Bytes(1, MAX_CIPHERTEXT_BYTES),
      EncryptionContext: encryptionContextSchema.optional(),
    }),
    result: z.object({ Plaintext: z.string(), KeyId: z.string(), KeyVersionId: z.string() }),
    errors: ['InvalidCiphertext', ...keyStateErrors, ...hsmErrors],
    mutates: false,
  }),
  AsymmetricSign: defineOperation({
    summary: 'Sign a SHA-256 digest with an asymmetric key inside the HSM.',
    input: z.strictObject({
      KeyId: keyIdentifierSchema,
      KeyVersionId: uuidSchema.optional(),
      Algorithm: signingAlgorithmSchema,
      Digest: base64Bytes(32, 32),
    }),
    result: keyAndVersion.extend({ Value: z.string() }),
    errors: [...keyStateErrors, ...hsmErrors],
    mutates: false,
  }),
  AsymmetricVerify: defineOperation({
    summary: 'Verify a signature over a SHA-256 digest inside the HSM.',
    input: z.strictObject({
      KeyId: keyIdentifierSchema,
      KeyVersionId: uuidSchema.optional(),
      Algorithm: signingAlgorithmSchema,
      Digest: base64Bytes(32, 32),
      Value: base64Bytes(1, 1024),
    }),
    result: keyAndVersion.extend({ Value: z.boolean() }),
    errors: [...keyStateErrors, ...hsmErrors],
    mutates: false,
  }),
  GetPublicKey: defineOperation({
    summary: 'The public key of an asymmetric key version, as PEM SubjectPublicKeyInfo.',
    input: z.strictObject({ KeyId: keyIdentifierSchema, KeyVersionId: uuidSchema.optional() }),
    result: keyAndVersion.extend({ PublicKey: z.string() }),
    errors: [...keyStateErrors, ...hsmErrors],
    mutates: false,
  }),
  GenerateMac: defineOperation({
    summary: `HMAC of a message inside the HSM with an HMAC key (HMAC_SHA256 or HMAC_SHA512); at most ${MAX_PLAINTEXT_BYTES} bytes.`,
    input: z.strictObject({ KeyId: keyIdentifierSchema, KeyVersionId: uuidSchema.optional(), Message: base64Bytes(1, MAX_PLAINTEXT_BYTES) }),
    result: keyAndVersion.extend({ Mac: z.string() }),
    errors: [...keyStateErrors, ...hsmErrors],
    mutates: false,
  }),
  VerifyMac: defineOperation({
    summary: 'Check an HMAC of a message inside the HSM.',
    input: z.strictObject({
      KeyId: keyIdentifierSchema,
      KeyVersionId: uuidSchema.optional(),
      Message: base64Bytes(1, MAX_PLAINTEXT_BYTES),
      Mac: base64Bytes(32, 64),
    }),
    result: keyAndVersion.extend({ MacValid: z.boolean() }),
    errors: [...keyStateErrors, ...hsmErrors],
    mutates: false,
  }),
};
