import { randomBytes } from 'node:crypto';
import type { OperationName, OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyVersionRow } from '../../registry';
import { isSymmetricSpec } from '../keys/key-specs';
import type { RequestContext } from '../request-context';
import { additionalData, assembleBlob, encodeHeader, IV_BYTES, parseBlob } from './ciphertext-blob';
import type { KeyUse, UsableKey } from './key-use';

const DATA_KEY_BYTES = { AES_256: 32, AES_128: 16 } as const;

/** Symmetric operations: AES-GCM inside the HSM under the primary version; blobs name their key and version. */
export class CryptoService {
  constructor(private readonly use: KeyUse) {}

  encrypt(input: ParsedInput<'Encrypt'>, request: RequestContext): Promise<OperationResult<'Encrypt'>> {
    return this.use.record('Encrypt', input.KeyId, request, async () => {
      const usable = this.symmetricKey(input.KeyId, 'Encrypt');
      const blob = await this.seal(usable, Buffer.from(input.Plaintext, 'base64'), input.EncryptionContext);
      return { result: { CiphertextBlob: blob, KeyId: usable.key.id, KeyVersionId: usable.version.id }, keyId: usable.key.id };
    });
  }

  decrypt(input: ParsedInput<'Decrypt'>, request: RequestContext): Promise<OperationResult<'Decrypt'>> {
    const blob = parseBlob(Buffer.from(input.CiphertextBlob, 'base64'));
    return this.use.record('Decrypt', blob.keyId, request, async () => {
      const key = this.use.resolver.resolve(blob.keyId);
      this.use.resolver.requireUsable(key, 'ENCRYPT/DECRYPT');
      let version: KeyVersionRow;
      try {
        // Any version of the key, not just the primary: rotation must not strand old ciphertext.
        version = this.use.resolver.version(key, blob.keyVersionId);
      } catch {
        throw new KmsError('InvalidCiphertext', 'The ciphertext names a key version that does not exist.');
      }
      const token = this.use.token(key);
      const plaintext = await token.client.decrypt({
        serial: token.serial,
        objectId: version.objectId,
        mechanism: { kind: 'AES_GCM', iv: blob.iv, aad: additionalData(blob.header, input.EncryptionContext), tagBits: 128 },
        data: blob.sealed,
      });
      return { result: { Plaintext: plaintext.toString('base64'), KeyId: key.id, KeyVersionId: version.id }, keyId: key.id };
    });
  }

  generateDataKey(input: ParsedInput<'GenerateDataKey'>, request: RequestContext): Promise<OperationResult<'GenerateDataKey'>> {
    return this.use.record('GenerateDataKey', input.KeyId, request, async () => {
      const { usable, dataKey, blob } = await this.dataKey(input, 'GenerateDataKey');
      const result = { KeyId: usable.key.id, KeyVersionId: usable.version.id, Plaintext: dataKey.toString('base64'), CiphertextBlob: blob };
      dataKey.fill(0);
      return { result, keyId: usable.key.id };
    });
  }

  generateDataKeyWithoutPlaintext(
    input: ParsedInput<'GenerateDataKeyWithoutPlaintext'>,
    request: RequestContext,
  ): Promise<OperationResult<'GenerateDataKeyWithoutPlaintext'>> {
    return this.use.record('GenerateDataKeyWithoutPlaintext', input.KeyId, request, async () => {
      const { usable, dataKey, blob } = await this.dataKey(input, 'GenerateDataKeyWithoutPlaintext');
      dataKey.fill(0);
      return { result: { KeyId: usable.key.id, KeyVersionId: usable.version.id, CiphertextBlob: blob }, keyId: usable.key.id };
    });
  }

  /** The data key comes from the HSM's generator and is sealed like an Encrypt plaintext, so Decrypt opens it. */
  private async dataKey(
    input: ParsedInput<'GenerateDataKey'>,
    operation: OperationName,
  ): Promise<{ usable: UsableKey; dataKey: Buffer; blob: string }> {
    const usable = this.symmetricKey(input.KeyId, operation);
    const length = input.NumberOfBytes ?? DATA_KEY_BYTES[input.KeySpec ?? 'AES_256'];
    const dataKey = await usable.token.client.generateRandom({ serial: usable.token.serial, length });
    const blob = await this.seal(usable, dataKey, input.EncryptionContext);
    return { usable, dataKey, blob };
  }

  private symmetricKey(identifier: string, operation: OperationName): UsableKey {
    const usable = this.use.usable(identifier, 'ENCRYPT/DECRYPT');
    if (!isSymmetricSpec(usable.key.keySpec)) {
      throw new KmsError('Forbidden.KeyUsage', `${operation} needs a symmetric key; use AsymmetricEncrypt with ${usable.key.keySpec}.`);
    }
    return usable;
  }

  private async seal({ key, version, token }: UsableKey, plaintext: Buffer, context: Record<string, string> | undefined): Promise<string> {
    const header = encodeHeader({ keyId: key.id, keyVersionId: version.id });
    const iv = randomBytes(IV_BYTES);
    const sealed = await token.client.encrypt({
      serial: token.serial,
      objectId: version.objectId,
      mechanism: { kind: 'AES_GCM', iv, aad: additionalData(header, context), tagBits: 128 },
      data: plaintext,
    });
    return assembleBlob(header, iv, sealed).toString('base64');
  }
}
