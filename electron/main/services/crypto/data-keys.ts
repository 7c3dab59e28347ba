import { KmsError } from '../../../../shared/errors';
import type { KeyRow, KeyVersionRow } from '../../registry';
import { createHash } from 'node:crypto';
import type { ExternalCall } from '../external/external-key-layer';
import {
  additionalData,
  assembleBlob,
  assembleExternalBlob,
  encodeHeader,
  innerLayerOf,
  IV_BYTES,
  parseBlob,
  splitInnerLayer,
  TAG_BYTES,
  type ParsedBlob,
} from './ciphertext-blob';
import { IvSource } from './iv-source';
import type { KeyUse, UsableKey } from './key-use';

export type EncryptionContext = Record<string, string> | undefined;

/** The XKS API's plaintext bound (4,300 bytes) holds the inner layer: what is left for the caller's plaintext. */
export const MAX_EXTERNAL_PLAINTEXT_BYTES = 4300 - IV_BYTES - TAG_BYTES;

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
  async generate(usable: UsableKey, length: number, context: EncryptionContext, call?: ExternalCall): Promise<DataKey> {
    const plaintext = await this.use.onToken(usable.key, {}, (token) => token.hsm.generateRandom({ length }));
    try {
      return { plaintext, wrapped: await this.seal(usable, plaintext, context, call) };
    } catch (error) {
      plaintext.fill(0);
      throw error;
    }
  }

  /**
   * An external key's blob is sealed twice: inside the HSM under the key's own version, then by its
   * XKS proxy under the external key; neither side alone can open it.
   */
  async seal({ key, version }: UsableKey, plaintext: Buffer, context: EncryptionContext, call?: ExternalCall): Promise<Buffer> {
    const external = key.origin === 'EXTERNAL_KEY_STORE';
    if (external && plaintext.length > MAX_EXTERNAL_PLAINTEXT_BYTES) {
      throw new KmsError('InvalidParameter', `Keys of an external key store encrypt at most ${MAX_EXTERNAL_PLAINTEXT_BYTES} bytes (the XKS proxy API's 4,300 less the inner layer).`);
    }
    const header = encodeHeader({ keyId: key.id, keyVersionId: version.id }, external);
    const iv = this.ivs.next();
    const sealed = await this.use.onToken(key, { aesGcm: true }, (token) =>
      token.hsm.encrypt({
        objectId: version.objectId,
        mechanism: { kind: 'AES_GCM', iv, aad: additionalData(header, context), tagBits: 128 },
        data: plaintext,
      }),
    );
    if (!external) return assembleBlob(header, iv, sealed);
    const outer = await this.use.external.encrypt(key, innerLayerOf(iv, sealed), proxyAad(header, context), call);
    return assembleExternalBlob(header, outer);
  }

  /** Opens a parsed blob with the version it names; a wrong context or a changed byte fails inside the HSM. */
  async open(blob: ParsedBlob, key: KeyRow, version: KeyVersionRow, context: EncryptionContext, call?: ExternalCall): Promise<Buffer> {
    const external = key.origin === 'EXTERNAL_KEY_STORE';
    if (external !== (blob.outer !== undefined)) throw new KmsError('InvalidCiphertext', 'The ciphertext blob was not made by this key.');
    const { iv, sealed } = blob.outer ? splitInnerLayer(await this.use.external.decrypt(key, blob.outer, proxyAad(blob.header, context), call)) : blob;
    return this.use.onToken(key, { aesGcm: true }, (token) =>
      token.hsm.decrypt({
        objectId: version.objectId,
        mechanism: { kind: 'AES_GCM', iv, aad: additionalData(blob.header, context), tagBits: 128 },
        data: sealed,
      }),
    );
  }

  /**
   * Opens a data key wrapped under `key` (already resolved and checked usable by the caller): the
   * blob must name that key, and any of its versions (rotation must not strand old data keys).
   */
  async unwrap(wrapped: Buffer, key: KeyRow, context: EncryptionContext, call?: ExternalCall): Promise<Buffer> {
    const blob = parseBlob(wrapped);
    if (blob.keyId !== key.id) throw new KmsError('InvalidCiphertext', `The wrapped data key does not belong to key ${key.id}.`);
    return this.open(blob, key, this.versionOf(key, blob.keyVersionId), context, call);
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

/** The proxy's AAD: a digest of the header and context, so a large encryption context stays inside the API's 8,192-byte AAD bound. */
function proxyAad(header: Buffer, context: EncryptionContext): Buffer {
  return createHash('sha256').update(additionalData(header, context)).digest();
}
