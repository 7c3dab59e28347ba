import { timingSafeEqual } from 'node:crypto';
import { RESERVED_ALIAS_PREFIX } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyRow, KeyVersionRow, XksProxyRow } from '../../registry';
import { IV_BYTES } from '../crypto/ciphertext-blob';
import { IvSource } from '../crypto/iv-source';
import type { KeyUse } from '../crypto/key-use';
import type { ServiceContext } from '../service-context';
import {
  ciphertextDataIntegrityValue,
  decodeCiphertextMetadata,
  encodeCiphertextMetadata,
  hsmAdditionalData,
  XKS_TAG_BYTES,
} from './xks-ciphertext';

/** GetKeyMetadata's answer (spec: keySpec, keyUsage, keyStatus). */
export interface XksKeyMetadata {
  keySpec: string;
  keyUsage: string[];
  keyStatus: 'ENABLED' | 'DISABLED';
}

export interface XksEncryptRequest {
  plaintext: Buffer;
  aad: Buffer | null;
  /** ciphertextDataIntegrityValueAlgorithm SHA_256 was asked for. */
  integrityValue: boolean;
}

export interface XksEncryptResult {
  ciphertext: Buffer;
  ciphertextMetadata: Buffer;
  iv: Buffer;
  tag: Buffer;
  integrityValue: Buffer | null;
}

export interface XksDecryptRequest {
  ciphertext: Buffer;
  ciphertextMetadata: Buffer | null;
  aad: Buffer | null;
  iv: Buffer;
  tag: Buffer;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const XKS_KEY_SPEC = 'Aliyun_AES_256';

/** Keyward usages in the spec's vocabulary (PKCS#11 names); GetKeyMetadata lists at most ten. */
const USAGE_NAMES: Record<string, string[]> = {
  'ENCRYPT/DECRYPT': ['ENCRYPT', 'DECRYPT'],
  'SIGN/VERIFY': ['SIGN', 'VERIFY'],
  'GENERATE/VERIFY_MAC': ['SIGN', 'VERIFY'],
};

/**
 * The XKS Proxy API's key operations on a proxy's key store: AES-GCM inside the HSM with the spec's
 * AAD layout, under the key's primary version (named in ciphertextMetadata so any version decrypts).
 * A proxy reaches only keys of its own store, and never Keyward's own reserved keys.
 */
export class XksKeyOperations {
  private readonly ivs = new IvSource(IV_BYTES);

  constructor(
    private readonly context: ServiceContext,
    private readonly use: KeyUse,
  ) {}

  /** The key an `externalKeyId` names in the proxy's store: a key id, or an alias name without `alias/`. */
  resolve(proxy: XksProxyRow, xksKeyId: string): KeyRow {
    const registry = this.context.registry;
    const keyId = UUID.test(xksKeyId) ? xksKeyId : registry.aliases.resolve(`alias/${xksKeyId}`);
    const key = keyId === null ? null : registry.keys.get(keyId);
    const reserved = key !== null && registry.aliases.listByKey(key.id).some((alias) => alias.aliasName.startsWith(RESERVED_ALIAS_PREFIX));
    if (!key || key.deletedAt !== null || key.keyStoreId !== proxy.keyStoreId || reserved) {
      throw new KmsError('NotFound.Key', `No key ${xksKeyId} is served by this XKS proxy.`);
    }
    return key;
  }

  metadata(key: KeyRow): XksKeyMetadata {
    return {
      keySpec: key.keySpec === XKS_KEY_SPEC ? 'AES_256' : key.keySpec,
      keyUsage: USAGE_NAMES[key.keyUsage] ?? [],
      keyStatus: key.keyState === 'Enabled' ? 'ENABLED' : 'DISABLED',
    };
  }

  async encrypt(key: KeyRow, request: XksEncryptRequest): Promise<XksEncryptResult> {
    const version = this.usableVersion(key, undefined);
    const ciphertextMetadata = encodeCiphertextMetadata(version.id);
    const iv = this.ivs.next();
    const sealed = await this.use.onToken(key, { aesGcm: true }, (token) =>
      token.hsm.encrypt({
        objectId: version.objectId,
        mechanism: { kind: 'AES_GCM', iv, aad: hsmAdditionalData(request.aad, ciphertextMetadata), tagBits: 128 },
        data: request.plaintext,
      }),
    );
    const ciphertext = sealed.subarray(0, sealed.length - XKS_TAG_BYTES);
    const tag = sealed.subarray(sealed.length - XKS_TAG_BYTES);
    const result = { ciphertext, ciphertextMetadata, iv, tag, integrityValue: null };
    if (!request.integrityValue) return result;
    // Appendix C's order: the value is computed first, then the output is proven to decrypt, so a
    // bit flip after the check cannot hide behind a matching integrity value.
    const integrityValue = ciphertextDataIntegrityValue({ aad: request.aad, ...result });
    const roundTrip = await this.decrypt(key, { ciphertext, ciphertextMetadata, aad: request.aad, iv, tag });
    try {
      if (roundTrip.length !== request.plaintext.length || !timingSafeEqual(roundTrip, request.plaintext)) {
        throw new KmsError('InternalFailure', 'The HSM output did not decrypt back to the plaintext.');
      }
    } finally {
      roundTrip.fill(0);
    }
    return { ...result, integrityValue };
  }

  /** The plaintext (the caller zeroes it); a changed byte, AAD or metadata fails authentication inside the HSM. */
  decrypt(key: KeyRow, request: XksDecryptRequest): Promise<Buffer> {
    const versionId = request.ciphertextMetadata ? decodeCiphertextMetadata(request.ciphertextMetadata) : null;
    if (versionId === null) throw new KmsError('InvalidCiphertext', 'The ciphertextMetadata is missing or was not made by this proxy.');
    const version = this.usableVersion(key, versionId);
    return this.use.onToken(key, { aesGcm: true }, (token) =>
      token.hsm.decrypt({
        objectId: version.objectId,
        mechanism: { kind: 'AES_GCM', iv: request.iv, aad: hsmAdditionalData(request.aad, request.ciphertextMetadata), tagBits: 128 },
        data: Buffer.concat([request.ciphertext, request.tag]),
      }),
    );
  }

  /** Only AES-256 ENCRYPT/DECRYPT keys serve encrypt and decrypt (InvalidKeyUsageException otherwise), and only Enabled ones. */
  private usableVersion(key: KeyRow, versionId: string | undefined): KeyVersionRow {
    if (key.keySpec !== XKS_KEY_SPEC || key.keyUsage !== 'ENCRYPT/DECRYPT') {
      throw new KmsError('Forbidden.KeyUsage', `Key ${key.id} is ${key.keySpec} for ${key.keyUsage}; XKS serves AES-256 ENCRYPT/DECRYPT keys only.`);
    }
    this.use.resolver.requireUsable(key, 'ENCRYPT/DECRYPT');
    try {
      return this.use.resolver.version(key, versionId);
    } catch {
      if (versionId === undefined) throw new KmsError('Forbidden.KeyState', `Key ${key.id} has no primary version.`);
      throw new KmsError('InvalidCiphertext', 'The ciphertextMetadata names no version of this key.');
    }
  }
}
