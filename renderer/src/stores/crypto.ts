import { defineStore } from 'pinia';
import type { SigningAlgorithm, AsymmetricEncryptionAlgorithm } from '../../../shared/contract';
import { invoke } from '../api/client';
import { KmsClientError } from '../api/errors';
import { t } from '../i18n';
import '../i18n/areas/keyDetail';
import { signingDigest } from '../lib/digest';
import { base64ToUtf8, compactBase64, utf8ToBase64, type DecodedText } from '../lib/encoding';
import { parseEncryptionContext } from '../lib/encryption-context';

function contextOrThrow(text: string): Record<string, string> | undefined {
  const parsed = parseEncryptionContext(text);
  if (!parsed.ok) throw new KmsClientError('InvalidParameter', t('keyDetail.crypto.invalidContext', { error: parsed.error }));
  return parsed.context;
}

/**
 * Cryptographic calls from the key detail page. Holds no state: plaintexts and results live only in
 * the panel that shows them.
 */
export const useCryptoStore = defineStore('crypto', () => {
  async function encrypt(keyId: string, plaintext: string, contextText: string): Promise<string> {
    const output = await invoke('Encrypt', {
      KeyId: keyId,
      Plaintext: utf8ToBase64(plaintext),
      EncryptionContext: contextOrThrow(contextText),
    });
    return output.CiphertextBlob;
  }

  async function decrypt(ciphertextBlob: string, contextText: string): Promise<DecodedText> {
    const output = await invoke('Decrypt', {
      CiphertextBlob: compactBase64(ciphertextBlob),
      EncryptionContext: contextOrThrow(contextText),
    });
    return base64ToUtf8(output.Plaintext);
  }

  async function sign(keyId: string, algorithm: SigningAlgorithm, message: string): Promise<string> {
    const output = await invoke('AsymmetricSign', { KeyId: keyId, Algorithm: algorithm, Digest: await signingDigest(algorithm, message) });
    return output.Value;
  }

  async function verify(keyId: string, algorithm: SigningAlgorithm, message: string, signature: string): Promise<boolean> {
    const output = await invoke('AsymmetricVerify', {
      KeyId: keyId,
      Algorithm: algorithm,
      Digest: await signingDigest(algorithm, message),
      Value: compactBase64(signature),
    });
    return output.Value;
  }

  /** Envelope encryption: a fresh AES data key in plaintext (shown once) and wrapped under the CMK. */
  async function generateDataKey(keyId: string, keySpec: 'AES_256' | 'AES_128', withPlaintext: boolean, contextText: string) {
    const input = { KeyId: keyId, KeySpec: keySpec, EncryptionContext: contextOrThrow(contextText) };
    if (!withPlaintext) {
      const output = await invoke('GenerateDataKeyWithoutPlaintext', input);
      return { Plaintext: null, CiphertextBlob: output.CiphertextBlob, KeyVersionId: output.KeyVersionId };
    }
    const output = await invoke('GenerateDataKey', input);
    return { Plaintext: output.Plaintext, CiphertextBlob: output.CiphertextBlob, KeyVersionId: output.KeyVersionId };
  }

  async function asymmetricEncrypt(keyId: string, algorithm: AsymmetricEncryptionAlgorithm, plaintext: string): Promise<string> {
    const output = await invoke('AsymmetricEncrypt', { KeyId: keyId, Algorithm: algorithm, Plaintext: utf8ToBase64(plaintext) });
    return output.CiphertextBlob;
  }

  async function asymmetricDecrypt(keyId: string, algorithm: AsymmetricEncryptionAlgorithm, ciphertext: string): Promise<DecodedText> {
    const output = await invoke('AsymmetricDecrypt', { KeyId: keyId, Algorithm: algorithm, CiphertextBlob: compactBase64(ciphertext) });
    return base64ToUtf8(output.Plaintext);
  }

  async function generateMac(keyId: string, message: string): Promise<string> {
    return (await invoke('GenerateMac', { KeyId: keyId, Message: utf8ToBase64(message) })).Mac;
  }

  async function verifyMac(keyId: string, message: string, mac: string): Promise<boolean> {
    return (await invoke('VerifyMac', { KeyId: keyId, Message: utf8ToBase64(message), Mac: compactBase64(mac) })).MacValid;
  }

  return { encrypt, decrypt, sign, verify, generateDataKey, asymmetricEncrypt, asymmetricDecrypt, generateMac, verifyMac };
});
