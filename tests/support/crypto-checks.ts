import { expect } from 'vitest';
import type { OperationInput, OperationName, OperationOutput } from '../../shared/contract';

/** Base64 of UTF-8 text or of bytes, as the operations take them. */
export const b64 = (data: string | Buffer): string => (typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('base64');

export const RSA_BYTES: Record<string, number> = { RSA_2048: 256, RSA_3072: 384, RSA_4096: 512 };

type Caller = { call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> };

/**
 * AsymmetricEncrypt of the largest plaintext OAEP SHA-1 allows, then AsymmetricDecrypt back, for any
 * key store. Returns that limit and the ciphertext for further checks.
 */
export async function expectOaepRoundTrip(test: Caller, keyId: string, spec: string): Promise<{ limit: number; ciphertextBlob: string }> {
  const modulusBytes = RSA_BYTES[spec] ?? 0;
  const limit = modulusBytes - 42;
  const plaintext = Buffer.alloc(limit, 9);
  const encrypted = await test.call('AsymmetricEncrypt', { KeyId: keyId, Algorithm: 'RSAES_OAEP_SHA_1', Plaintext: b64(plaintext) });
  expect(Buffer.from(encrypted.CiphertextBlob, 'base64')).toHaveLength(modulusBytes);
  const decrypted = await test.call('AsymmetricDecrypt', { KeyId: keyId, Algorithm: 'RSAES_OAEP_SHA_1', CiphertextBlob: encrypted.CiphertextBlob });
  expect(Buffer.from(decrypted.Plaintext, 'base64').equals(plaintext)).toBe(true);
  return { limit, ciphertextBlob: encrypted.CiphertextBlob };
}
