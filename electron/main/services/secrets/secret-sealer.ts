import { KmsError } from '../../../../shared/errors';
import type { KeyRow, SecretRow, SecretVersionRow } from '../../registry';
import type { DataKeys } from '../crypto/data-keys';
import type { KeyUse, UsableKey } from '../crypto/key-use';
import { isSymmetricSpec } from '../keys/key-specs';
import { DATA_KEY_BYTES, dataKeyContext, openValue, sealValue, valueAad } from './secret-envelope';

/** A version's value as stored: sealed under its data key, the data key wrapped under the CMK. */
export interface SealedVersion {
  wrappedKey: Buffer;
  sealedValue: Buffer;
}

/**
 * Envelope encryption of secret versions. The data key is made and wrapped inside the HSM; it is
 * in this process only while a value is sealed or opened (or re-wrapped), and zeroed right after.
 */
export class SecretSealer {
  constructor(
    private readonly use: KeyUse,
    private readonly dataKeys: DataKeys,
  ) {}

  /** A CMK secrets may use: Enabled, symmetric, for ENCRYPT/DECRYPT. Its primary version wraps new data keys. */
  cmk(identifier: string): UsableKey {
    const usable = this.use.usable(identifier, 'ENCRYPT/DECRYPT');
    if (!isSymmetricSpec(usable.key.keySpec)) {
      throw new KmsError('Forbidden.KeyUsage', `Secrets need a symmetric ENCRYPT/DECRYPT key, not ${usable.key.keySpec}.`);
    }
    return usable;
  }

  /** Checked again inside the transaction that stores what the CMK wrapped: it may have been disabled meanwhile. */
  requireStillUsable(keyId: string): void {
    this.use.resolver.requireUsable(this.use.resolver.resolve(keyId), 'ENCRYPT/DECRYPT');
  }

  /** The secret's CMK, which must be usable for its values to be opened. */
  secretKey(secret: SecretRow): KeyRow {
    const key = this.use.resolver.resolve(secret.encryptionKeyId);
    this.use.resolver.requireUsable(key, 'ENCRYPT/DECRYPT');
    return key;
  }

  async seal(cmk: UsableKey, arn: string, versionId: string, value: Buffer): Promise<SealedVersion> {
    const dataKey = await this.dataKeys.generate(cmk, DATA_KEY_BYTES, dataKeyContext(arn, versionId));
    try {
      return { wrappedKey: dataKey.wrapped, sealedValue: sealValue(dataKey.plaintext, value, valueAad(arn, versionId)) };
    } finally {
      dataKey.plaintext.fill(0);
    }
  }

  /** The value of a version; the caller zeroes it after use. */
  async open(key: KeyRow, arn: string, version: SecretVersionRow): Promise<Buffer> {
    const dataKey = await this.dataKeys.unwrap(version.wrappedKey, key, dataKeyContext(arn, version.versionId));
    try {
      return openValue(dataKey, version.sealedValue, valueAad(arn, version.versionId));
    } finally {
      dataKey.fill(0);
    }
  }

  /** The same data key, wrapped under another CMK: unwrapped and wrapped again in the HSMs, the value never opened. */
  async rewrap(wrappedKey: Buffer, from: KeyRow, to: UsableKey, arn: string, versionId: string): Promise<Buffer> {
    const context = dataKeyContext(arn, versionId);
    const dataKey = await this.dataKeys.unwrap(wrappedKey, from, context);
    try {
      return await this.dataKeys.seal(to, dataKey, context);
    } finally {
      dataKey.fill(0);
    }
  }
}
