import { z } from 'zod';
import { defineOperation, TOKEN_SESSION_ERRORS } from './define';
import { XKS_CALL_ERRORS } from './external-key-stores';
import { signingAlgorithmSchema } from './enums';
import { RSAES_ALGORITHMS } from './key-import';
import {
  MAX_CIPHERTEXT_BYTES,
  MAX_PLAINTEXT_BYTES,
  base64Bytes,
  encryptionContextSchema,
  keyIdentifierSchema,
  uuidSchema,
} from './primitives';

const keyStateErrors = ['NotFound.Key', 'NotFound.Alias', 'NotFound.KeyVersion', 'Forbidden.KeyState', 'Forbidden.KeyUsage', 'Forbidden.KeyStoreState'] as const;
const hsmErrors = [...TOKEN_SESSION_ERRORS, 'HsmError.DeviceError', 'HsmError.DeviceRemoved', 'HsmError.ObjectNotFound', 'UnsupportedOperation'] as const;

const keyAndVersion = z.object({ KeyId: z.string(), KeyVersionId: z.string() });

/** Largest message GenerateMac / VerifyMac accept. */
export const MAX_MAC_MESSAGE_BYTES = 4096;
/** Largest data key GenerateDataKey makes. */
export const MAX_DATA_KEY_BYTES = 1024;
/**
 * Largest AsymmetricEncrypt plaintext: RSA-4096 with OAEP SHA-1 (512 - 42 bytes). Smaller keys and
 * OAEP SHA-256 take less (RSA-2048/SHA-1: 214 bytes); the service checks the exact bound per key.
 */
export const MAX_ASYMMETRIC_PLAINTEXT_BYTES = 470;

/** Asymmetric encryption algorithms share their names with the RSAES_* import wrapping algorithms. */
export const asymmetricEncryptionAlgorithmSchema = z.enum(RSAES_ALGORITHMS);
export type AsymmetricEncryptionAlgorithm = z.infer<typeof asymmetricEncryptionAlgorithmSchema>;

/** Largest message ED25519_SHA_512 signs (pure EdDSA takes the message, not a digest), as in AWS KMS. */
export const MAX_ED25519_MESSAGE_BYTES = 4096;
const SHA256_DIGEST_BYTES = 32;

/** `Digest` is a SHA-256 digest, except for ED25519_SHA_512, where it carries the message itself. */
function digestFitsAlgorithm(input: { Algorithm: string; Digest: string }, context: z.RefinementCtx): void {
  if (input.Algorithm === 'ED25519_SHA_512') return;
  // Canonical base64 (checked by the field's own schema first): 4 characters per 3 bytes, minus padding.
  const padding = input.Digest.endsWith('==') ? 2 : input.Digest.endsWith('=') ? 1 : 0;
  if ((input.Digest.length / 4) * 3 - padding !== SHA256_DIGEST_BYTES) {
    context.addIssue({ code: 'custom', path: ['Digest'], message: `must decode to ${SHA256_DIGEST_BYTES} bytes (a SHA-256 digest) for ${input.Algorithm}` });
  }
}

const dataKeyInput = z.strictObject({
  KeyId: keyIdentifierSchema,
  KeySpec: z.enum(['AES_256', 'AES_128']).optional(),
  /** 1-1024 bytes; overrides KeySpec. Default: 32 bytes (AES_256). */
  NumberOfBytes: z.number().int().min(1).max(MAX_DATA_KEY_BYTES).optional(),
  EncryptionContext: encryptionContextSchema.optional(),
});

/** What AsymmetricSign and AsymmetricVerify share: the key, its version, the algorithm and the digest (or Ed25519 message). */
const signatureInput = z.strictObject({
  KeyId: keyIdentifierSchema,
  KeyVersionId: uuidSchema.optional(),
  Algorithm: signingAlgorithmSchema,
  Digest: base64Bytes(1, MAX_ED25519_MESSAGE_BYTES),
});

export const cryptoOperations = {
  Encrypt: defineOperation({
    summary: `AES-GCM encryption inside the HSM with the primary key version; at most ${MAX_PLAINTEXT_BYTES} bytes.`,
    input: z.strictObject({
      KeyId: keyIdentifierSchema,
      Plaintext: base64Bytes(1, MAX_PLAINTEXT_BYTES),
      EncryptionContext: encryptionContextSchema.optional(),
    }),
    result: z.object({ CiphertextBlob: z.string(), KeyId: z.string(), KeyVersionId: z.string() }),
    errors: [...keyStateErrors, ...hsmErrors, ...XKS_CALL_ERRORS],
    mutates: false,
  }),
  Decrypt: defineOperation({
    summary: 'Decrypt a self-describing ciphertext blob; the key is read from the blob.',
    input: z.strictObject({
      CiphertextBlob: base64Bytes(1, MAX_CIPHERTEXT_BYTES),
      EncryptionContext: encryptionContextSchema.optional(),
    }),
    result: z.object({ Plaintext: z.string(), KeyId: z.string(), KeyVersionId: z.string() }),
    errors: ['InvalidCiphertext', ...keyStateErrors, ...hsmErrors, ...XKS_CALL_ERRORS],
    mutates: false,
  }),
  GenerateDataKey: defineOperation({
    summary: 'A random data key: returned in plaintext and as a ciphertext blob under the CMK (envelope encryption).',
    input: dataKeyInput,
    result: keyAndVersion.extend({ Plaintext: z.string(), CiphertextBlob: z.string() }),
    errors: [...keyStateErrors, ...hsmErrors, ...XKS_CALL_ERRORS],
    mutates: false,
  }),
  GenerateDataKeyWithoutPlaintext: defineOperation({
    summary: 'A random data key, returned only as a ciphertext blob under the CMK.',
    input: dataKeyInput,
    result: keyAndVersion.extend({ CiphertextBlob: z.string() }),
    errors: [...keyStateErrors, ...hsmErrors, ...XKS_CALL_ERRORS],
    mutates: false,
  }),
  AsymmetricEncrypt: defineOperation({
    summary: `RSA-OAEP encryption with an ENCRYPT/DECRYPT RSA key, at most ${MAX_ASYMMETRIC_PLAINTEXT_BYTES} bytes (less for smaller keys); only algorithms the token supports.`,
    input: z.strictObject({
      KeyId: keyIdentifierSchema,
      KeyVersionId: uuidSchema.optional(),
      Algorithm: asymmetricEncryptionAlgorithmSchema,
      Plaintext: base64Bytes(1, MAX_ASYMMETRIC_PLAINTEXT_BYTES),
    }),
    result: keyAndVersion.extend({ CiphertextBlob: z.string() }),
    errors: [...keyStateErrors, ...hsmErrors],
    mutates: false,
  }),
  AsymmetricDecrypt: defineOperation({
    summary: 'RSA-OAEP decryption inside the HSM.',
    input: z.strictObject({
      KeyId: keyIdentifierSchema,
      KeyVersionId: uuidSchema.optional(),
      Algorithm: asymmetricEncryptionAlgorithmSchema,
      CiphertextBlob: base64Bytes(256, 512),
    }),
    result: keyAndVersion.extend({ Plaintext: z.string() }),
    errors: ['InvalidCiphertext', ...keyStateErrors, ...hsmErrors],
    mutates: false,
  }),
  GenerateMac: defineOperation({
    summary: `HMAC of a message (at most ${MAX_MAC_MESSAGE_BYTES} bytes) with a GENERATE/VERIFY_MAC key.`,
    input: z.strictObject({ KeyId: keyIdentifierSchema, Message: base64Bytes(1, MAX_MAC_MESSAGE_BYTES) }),
    result: keyAndVersion.extend({ Mac: z.string() }),
    errors: [...keyStateErrors, ...hsmErrors],
    mutates: false,
  }),
  VerifyMac: defineOperation({
    summary: 'Check an HMAC inside the HSM.',
    input: z.strictObject({
      KeyId: keyIdentifierSchema,
      KeyVersionId: uuidSchema.optional(),
      Message: base64Bytes(1, MAX_MAC_MESSAGE_BYTES),
      Mac: base64Bytes(1, 64),
    }),
    result: keyAndVersion.extend({ MacValid: z.boolean() }),
    errors: [...keyStateErrors, ...hsmErrors],
    mutates: false,
  }),
  AsymmetricSign: defineOperation({
    summary: `Sign a SHA-256 digest with an asymmetric key inside the HSM (ED25519_SHA_512: Digest is the message itself, at most ${MAX_ED25519_MESSAGE_BYTES} bytes).`,
    input: signatureInput.superRefine(digestFitsAlgorithm),
    result: keyAndVersion.extend({ Value: z.string() }),
    errors: [...keyStateErrors, ...hsmErrors],
    mutates: false,
  }),
  AsymmetricVerify: defineOperation({
    summary: 'Verify a signature over a SHA-256 digest inside the HSM (ED25519_SHA_512: over the message given as Digest).',
    input: signatureInput.extend({ Value: base64Bytes(1, 1024) }).superRefine(digestFitsAlgorithm),
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
};
