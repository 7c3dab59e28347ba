import { KmsError } from '../../../../shared/errors';
import type { KeyRow, KeyVersionRow } from '../../registry';
import { additionalData, assembleBlob, encodeHeader, IV_BYTES, parseBlob, type ParsedBlob } from './ciphertext-blob';
import { IvSource } from './iv-source';
import type { KeyUse, UsableKey } from './key-use';

export type EncryptionContext = Record<string, string> | undefined;

/** A data key in the clear (the caller zeroes it after use) and the same key sealed under a CMK. */
export interface DataKey {
  plaintext: Buffer;
  wrapped: Buffer;
}

/**
 * Sealing under a CMK inside the HSM (AES-GCM with the blob header and the encryption context as
 * additional data), and data keys made that way: Encrypt/Decrypt/GenerateDataKey and the secrets
 * service's envelope encryption share it, so a wrapped data key is an ordinary Keyward ciphertext.
 */
export class DataKeys {
  private readonly ivs = new IvSource(IV_BYTES);

  constructor(private readonly use: KeyUse) {}

  /** `length` bytes from the HSM's generator on the CMK's token, and their sealed form. */
  async generate(usable: UsableKey, length: number, context: EncryptionContext): Promise<DataKey> {
    const plaintext = await this.use.onToken(usable.key, {}, (token) => token.hsm.generateRandom({ length }));
    try {
      return { plaintext, wrapped: await this.seal(usable, plaintext, context) };
    } catch (error) {
      plaintext.fill(0);
      throw error;
    }
  }

  async seal({ key, version }: UsableKey, plaintext: Buffer, context: EncryptionContext): Promise<Buffer> {
    const header = encodeHeader({ keyId: key.id, keyVersionId: version.id });
    const iv = this.ivs.next();
    const sealed = await this.use.onToken(key, { aesGcm: true }, (token) =>
      token.hsm.encrypt({
        objectId: version.objectId,
        mechanism: { kind: 'AES_GCM', iv, aad: additionalData(header, context), tagBits: 128 },
        data: plaintext,
      }),
    );
    return assembleBlob(header, iv, sealed);
  }

  /** Opens a parsed blob with the version it names; a wrong context or a changed byte fails inside the HSM. */
  open(blob: ParsedBlob, key: KeyRow, version: KeyVersionRow, context: EncryptionContext): Promise<Buffer> {
    return this.use.onToken(key, { aesGcm: true }, (token) =>
      token.hsm.decrypt({
        objectId: version.objectId,
        mechanism: { kind: 'AES_GCM', iv: blob.iv, aad: additionalData(blob.header, context), tagBits: 128 },
        data: blob.sealed,
      }),
    );
  }

  /**
   * Opens a data key wrapped under `key` (already resolved and checked usable by the caller): the
   * blob must name that key, and any of its versions (rotation must not strand old data keys).
   */
  async unwrap(wrapped: Buffer, key: KeyRow, context: EncryptionContext): Promise<Buffer> {
    const blob = parseBlob(wrapped);
    if (blob.keyId !== key.id) throw new KmsError('InvalidCiphertext', `The wrapped data key does not belong to key ${key.id}.`);
    return this.open(blob, key, this.versionOf(key, blob.keyVersionId), context);
  }

  /** The key version a blob names; one that does not exist makes the blob invalid, not the request. */
  versionOf(key: KeyRow, keyVersionId: string): KeyVersionRow {
    try {
      return this.use.resolver.version(key, keyVersionId);
    } catch {
      throw new KmsError('InvalidCiphertext', 'The ciphertext names a key version that does not exist.');
    }
  }
}
