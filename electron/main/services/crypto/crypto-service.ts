import type { OperationName, OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { isSymmetricSpec } from '../keys/key-specs';
import type { RequestContext } from '../request-context';
import { parseBlob } from './ciphertext-blob';
import { DataKeys, type DataKey } from './data-keys';
import type { KeyUse, UsableKey } from './key-use';

const DATA_KEY_BYTES = { AES_256: 32, AES_128: 16 } as const;

/** Symmetric operations: AES-GCM inside the HSM under the primary version; blobs name their key and version. */
export class CryptoService {
  private readonly dataKeys: DataKeys;

  constructor(private readonly use: KeyUse) {
    this.dataKeys = new DataKeys(use);
  }

  encrypt(input: ParsedInput<'Encrypt'>, request: RequestContext): Promise<OperationResult<'Encrypt'>> {
    return this.use.record('Encrypt', input.KeyId, request, async () => {
      const usable = this.symmetricKey(input.KeyId, 'Encrypt');
      const blob = await this.dataKeys.seal(usable, Buffer.from(input.Plaintext, 'base64'), input.EncryptionContext, { operation: 'Encrypt', request });
      return { result: { CiphertextBlob: blob.toString('base64'), KeyId: usable.key.id, KeyVersionId: usable.version.id }, keyId: usable.key.id };
    });
  }

  decrypt(input: ParsedInput<'Decrypt'>, request: RequestContext): Promise<OperationResult<'Decrypt'>> {
    const blob = parseBlob(Buffer.from(input.CiphertextBlob, 'base64'));
    return this.use.record('Decrypt', blob.keyId, request, async () => {
      const key = this.use.resolver.resolve(blob.keyId);
      this.use.resolver.requireUsable(key, 'ENCRYPT/DECRYPT');
      // Any version of the key, not just the primary: rotation must not strand old ciphertext.
      const version = this.dataKeys.versionOf(key, blob.keyVersionId);
      const plaintext = await this.dataKeys.open(blob, key, version, input.EncryptionContext, { operation: 'Decrypt', request });
      return { result: { Plaintext: plaintext.toString('base64'), KeyId: key.id, KeyVersionId: version.id }, keyId: key.id };
    });
  }

  generateDataKey(input: ParsedInput<'GenerateDataKey'>, request: RequestContext): Promise<OperationResult<'GenerateDataKey'>> {
    return this.use.record('GenerateDataKey', input.KeyId, request, async () => {
      const { usable, dataKey } = await this.dataKey(input, 'GenerateDataKey', request);
      const result = {
        KeyId: usable.key.id,
        KeyVersionId: usable.version.id,
        Plaintext: dataKey.plaintext.toString('base64'),
        CiphertextBlob: dataKey.wrapped.toString('base64'),
      };
      dataKey.plaintext.fill(0);
      return { result, keyId: usable.key.id };
    });
  }

  generateDataKeyWithoutPlaintext(
    input: ParsedInput<'GenerateDataKeyWithoutPlaintext'>,
    request: RequestContext,
  ): Promise<OperationResult<'GenerateDataKeyWithoutPlaintext'>> {
    return this.use.record('GenerateDataKeyWithoutPlaintext', input.KeyId, request, async () => {
      const { usable, dataKey } = await this.dataKey(input, 'GenerateDataKeyWithoutPlaintext', request);
      dataKey.plaintext.fill(0);
      return { result: { KeyId: usable.key.id, KeyVersionId: usable.version.id, CiphertextBlob: dataKey.wrapped.toString('base64') }, keyId: usable.key.id };
    });
  }

  /** The data key comes from the HSM's generator and is sealed like an Encrypt plaintext, so Decrypt opens it. */
  private async dataKey(input: ParsedInput<'GenerateDataKey'>, operation: OperationName, request: RequestContext): Promise<{ usable: UsableKey; dataKey: DataKey }> {
    const usable = this.symmetricKey(input.KeyId, operation);
    const length = input.NumberOfBytes ?? DATA_KEY_BYTES[input.KeySpec ?? 'AES_256'];
    return { usable, dataKey: await this.dataKeys.generate(usable, length, input.EncryptionContext, { operation, request }) };
  }

  private symmetricKey(identifier: string, operation: OperationName): UsableKey {
    const usable = this.use.usable(identifier, 'ENCRYPT/DECRYPT');
    if (!isSymmetricSpec(usable.key.keySpec)) {
      throw new KmsError('Forbidden.KeyUsage', `${operation} needs a symmetric key; use AsymmetricEncrypt with ${usable.key.keySpec}.`);
    }
    return usable;
  }
}
