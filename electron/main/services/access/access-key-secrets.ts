import { KmsError } from '../../../../shared/errors';
import type { ClientKeyRow } from '../../registry';
import type { DataKeys } from '../crypto/data-keys';
import type { KeyUse, UsableKey } from '../crypto/key-use';
import type { KeyService } from '../keys/key-service';
import { ensureReservedKey } from '../keys/reserved-key';
import { isSymmetricSpec } from '../keys/key-specs';
import type { RequestContext } from '../request-context';
import type { ServiceContext } from '../service-context';
import { DATA_KEY_BYTES, openValue, sealValue } from '../secrets/secret-envelope';

/** The CMK that seals every client key's access key secret: AES-256 in the default key store, made on first need. */
export const ACCESS_KEYS_KEY_ALIAS = 'alias/keyward/access-keys';

const ACCESS_KEYS_KEY = {
  alias: ACCESS_KEYS_KEY_ALIAS,
  description: 'Seals the access key secrets of application client keys (SigV4).',
};

export interface SealedAccessKeySecret {
  secretKeyId: string;
  secretWrappedKey: Buffer;
  secretSealed: Buffer;
}

/** Additional data and encryption context bind a sealed secret to its client key: moved to another row, it does not open. */
function valueAad(clientKeyId: string): Buffer {
  return Buffer.from(JSON.stringify(['keyward-access-key-secret', clientKeyId]), 'utf8');
}

function dataKeyContext(clientKeyId: string): Record<string, string> {
  return { 'keyward:client-key-id': clientKeyId };
}

/**
 * The access key secrets applications sign SigV4 requests with: kept only sealed, by the envelope
 * encryption of secret values (a data key made and wrapped in the HSM under the access keys CMK).
 */
export class AccessKeySecrets {
  constructor(
    private readonly context: ServiceContext,
    private readonly keys: KeyService,
    private readonly use: KeyUse,
    private readonly dataKeys: DataKeys,
  ) {}

  async seal(clientKeyId: string, secret: Buffer, request: RequestContext): Promise<SealedAccessKeySecret> {
    const cmk = await this.cmk(request);
    const dataKey = await this.dataKeys.generate(cmk, DATA_KEY_BYTES, dataKeyContext(clientKeyId));
    try {
      return { secretKeyId: cmk.key.id, secretWrappedKey: dataKey.wrapped, secretSealed: sealValue(dataKey.plaintext, secret, valueAad(clientKeyId)) };
    } finally {
      dataKey.plaintext.fill(0);
    }
  }

  /** Checked again inside the transaction that stores the sealed secret: the CMK may have been disabled meanwhile. */
  requireStillUsable(keyId: string): void {
    this.use.resolver.requireUsable(this.use.resolver.resolve(keyId), 'ENCRYPT/DECRYPT');
  }

  /** The secret in the clear; the caller zeroes it after use. */
  async open(row: Pick<ClientKeyRow, 'clientKeyId' | 'secretKeyId' | 'secretWrappedKey' | 'secretSealed'>): Promise<Buffer> {
    const key = this.use.resolver.resolve(row.secretKeyId);
    this.use.resolver.requireUsable(key, 'ENCRYPT/DECRYPT');
    const dataKey = await this.dataKeys.unwrap(row.secretWrappedKey, key, dataKeyContext(row.clientKeyId));
    try {
      return openValue(dataKey, row.secretSealed, valueAad(row.clientKeyId));
    } finally {
      dataKey.fill(0);
    }
  }

  private async cmk(request: RequestContext): Promise<UsableKey> {
    await ensureReservedKey(this.context, this.keys, ACCESS_KEYS_KEY, request);
    const usable = this.use.usable(ACCESS_KEYS_KEY_ALIAS, 'ENCRYPT/DECRYPT');
    if (!isSymmetricSpec(usable.key.keySpec)) throw new KmsError('Forbidden.KeyUsage', `${ACCESS_KEYS_KEY_ALIAS} must name a symmetric key.`);
    return usable;
  }
}
