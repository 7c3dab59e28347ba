import { z } from 'zod';
import { defineOperation, TOKEN_SESSION_ERRORS } from './define';
import { EXTERNAL_KEY_PAIR_SPECS, keyStateSchema, type KeySpec } from './enums';
import { base64Bytes, keyIdentifierSchema } from './primitives';

/** How long an ImportToken (and its wrapping key pair in the HSM) stays valid. */
export const IMPORT_TOKEN_LIFETIME_HOURS = 24;

/** RSA-OAEP: secret key material (and AsymmetricEncrypt, which shares the names). */
export const RSAES_ALGORITHMS = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const;
/**
 * RSA-OAEP around an ephemeral AES-256 key, then the PKCS#8 private key under AES key wrap with
 * padding (RFC 5649), as AWS KMS defines them: for key pairs.
 */
export const RSA_AES_KEY_WRAP_ALGORITHMS = ['RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256'] as const;

/**
 * Wrapping algorithms of the catalogue. Only those the key store's token really implements are
 * accepted (SoftHSM2 2.6: the SHA-1 ones); the others fail with UnsupportedOperation naming the token.
 */
export const wrappingAlgorithmSchema = z.enum([...RSAES_ALGORITHMS, ...RSA_AES_KEY_WRAP_ALGORITHMS]);
export type WrappingAlgorithm = z.infer<typeof wrappingAlgorithmSchema>;

/** RSA-OAEP size of the 2048-bit wrapping key: the whole material, or the part carrying the AES key. */
export const RSA_WRAPPED_KEY_BYTES = 256;
/** Largest PKCS#8 under AES key wrap with padding: an RSA-4096 key is about 2.4 KB. */
export const MAX_WRAPPED_PRIVATE_KEY_BYTES = 4096;

/** The wrapping algorithms that carry material of this spec: RSAES_* for secret keys, RSA_AES_KEY_WRAP_* for key pairs. */
export function wrappingAlgorithmsFor(spec: KeySpec): readonly WrappingAlgorithm[] {
  return EXTERNAL_KEY_PAIR_SPECS.includes(spec) ? RSA_AES_KEY_WRAP_ALGORITHMS : RSAES_ALGORITHMS;
}
export const wrappingKeySpecSchema = z.enum(['RSA_2048']);

/** The ImportToken is opaque to callers: base64url, no secret in it beyond its own randomness. */
export const importTokenSchema = z.string().min(16).max(128).regex(/^[A-Za-z0-9_-]+$/, 'must be an ImportToken');

const keyNotFound = ['NotFound.Key', 'NotFound.Alias'] as const;

export const keyImportOperations = {
  GetParametersForImport: defineOperation({
    summary: `Wrapping public key (RSA-2048 generated inside the HSM) and an ImportToken for an EXTERNAL key, valid ${IMPORT_TOKEN_LIFETIME_HOURS} h. WrappingAlgorithm: RSAES_* for AES and HMAC keys, RSA_AES_KEY_WRAP_* for key pairs (default: the SHA-1 one of the key's kind).`,
    input: z.strictObject({
      KeyId: keyIdentifierSchema,
      WrappingAlgorithm: wrappingAlgorithmSchema.optional(),
      WrappingKeySpec: wrappingKeySpecSchema.default('RSA_2048'),
    }),
    result: z.object({
      KeyId: z.string(),
      ImportToken: z.string(),
      /** base64 DER SubjectPublicKeyInfo. */
      PublicKey: z.string(),
      TokenExpireTime: z.string(),
    }),
    errors: [...TOKEN_SESSION_ERRORS, ...keyNotFound, 'Forbidden.KeyState', 'Forbidden.KeyStoreState', 'UnsupportedOperation', 'HsmError.DeviceError'],
    mutates: true,
  }),
  ImportKeyMaterial: defineOperation({
    summary: 'Unwrap key material (wrapped with the GetParametersForImport public key) inside the HSM; the key becomes Enabled.',
    input: z.strictObject({
      KeyId: keyIdentifierSchema,
      /**
       * RSAES_*: the RSA-OAEP output under the 2048-bit wrapping key (256 bytes). RSA_AES_KEY_WRAP_*:
       * that output around an AES-256 key, followed by the PKCS#8 private key wrapped under it.
       */
      EncryptedKeyMaterial: base64Bytes(RSA_WRAPPED_KEY_BYTES, RSA_WRAPPED_KEY_BYTES + MAX_WRAPPED_PRIVATE_KEY_BYTES),
      ImportToken: importTokenSchema,
      /** Unix seconds after which the material expires and the key returns to PendingImport; 0 or absent: never. */
      KeyMaterialExpireUnix: z.number().int().min(0).max(253_402_300_799).optional(),
    }),
    result: z.object({ KeyId: z.string(), KeyState: keyStateSchema, MaterialExpireTime: z.string() }),
    errors: [
      ...TOKEN_SESSION_ERRORS,
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
    errors: [...TOKEN_SESSION_ERRORS, ...keyNotFound, 'Forbidden.KeyState', 'Forbidden.KeyStoreState', 'UnsupportedOperation'],
    mutates: true,
  }),
};
