import { z } from 'zod';
import { defineOperation } from './define';
import { keyStateSchema } from './enums';
import { base64Bytes, keyIdentifierSchema } from './primitives';

/** How long an ImportToken (and its wrapping key pair in the HSM) stays valid. */
export const IMPORT_TOKEN_LIFETIME_HOURS = 24;

/**
 * Wrapping algorithms of the catalogue. Only those the key store's token really implements are
 * accepted (SoftHSM2 2.6: RSAES_OAEP_SHA_1); the others fail with UnsupportedOperation naming the token.
 */
export const wrappingAlgorithmSchema = z.enum(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
export type WrappingAlgorithm = z.infer<typeof wrappingAlgorithmSchema>;
export const wrappingKeySpecSchema = z.enum(['RSA_2048']);

/** The ImportToken is opaque to callers: base64url, no secret in it beyond its own randomness. */
export const importTokenSchema = z.string().min(16).max(128).regex(/^[A-Za-z0-9_-]+$/, 'must be an ImportToken');

const keyNotFound = ['NotFound.Key', 'NotFound.Alias'] as const;

export const keyImportOperations = {
  GetParametersForImport: defineOperation({
    summary: `Wrapping public key (RSA-2048 generated inside the HSM) and an ImportToken for an EXTERNAL key, valid ${IMPORT_TOKEN_LIFETIME_HOURS} h.`,
    input: z.strictObject({
      KeyId: keyIdentifierSchema,
      WrappingAlgorithm: wrappingAlgorithmSchema.default('RSAES_OAEP_SHA_1'),
      WrappingKeySpec: wrappingKeySpecSchema.default('RSA_2048'),
    }),
    result: z.object({
      KeyId: z.string(),
      ImportToken: z.string(),
      /** base64 DER SubjectPublicKeyInfo. */
      PublicKey: z.string(),
      TokenExpireTime: z.string(),
    }),
    errors: [...keyNotFound, 'Forbidden.KeyState', 'Forbidden.KeyStoreState', 'UnsupportedOperation', 'HsmError.DeviceError'],
    mutates: true,
  }),
  ImportKeyMaterial: defineOperation({
    summary: 'Unwrap key material (wrapped with the GetParametersForImport public key) inside the HSM; the key becomes Enabled.',
    input: z.strictObject({
      KeyId: keyIdentifierSchema,
      /** RSA-OAEP output under the 2048-bit wrapping key. */
      EncryptedKeyMaterial: base64Bytes(256, 256),
      ImportToken: importTokenSchema,
      /** Unix seconds after which the material expires and the key returns to PendingImport; 0 or absent: never. */
      KeyMaterialExpireUnix: z.number().int().min(0).max(253_402_300_799).optional(),
    }),
    result: z.object({ KeyId: z.string(), KeyState: keyStateSchema, MaterialExpireTime: z.string() }),
    errors: [
      ...keyNotFound,
      'Forbidden.KeyState',
      'Forbidden.KeyStoreState',
      'InvalidImportToken',
      'ExpiredImportToken',
      'InvalidKeyMaterial',
      'UnsupportedOperation',
    ],
    mutates: true,
  }),
  DeleteKeyMaterial: defineOperation({
    summary: 'Destroy imported key material in the HSM; the key returns to PendingImport.',
    input: z.strictObject({ KeyId: keyIdentifierSchema }),
    result: z.object({ KeyId: z.string(), KeyState: keyStateSchema }),
    errors: [...keyNotFound, 'Forbidden.KeyState', 'Forbidden.KeyStoreState', 'UnsupportedOperation'],
    mutates: true,
  }),
};
