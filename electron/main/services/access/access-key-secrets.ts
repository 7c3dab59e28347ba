import { KmsError } from '../../../../shared/errors';
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

/**
 * Whose secret a sealed value is: additional data and encryption context bind it to that owner, so
 * moved to another row it does not open. Client keys keep their original binding (existing rows).
 */
export interface SecretBinding {
  kind: 'client-key' | 'xks-credential' | 'external-key-store';
  /** The client key id, `<XksProxyId>/<AccessKeyId>` for an XKS proxy credential, `<KeyStoreId>/<AccessKeyId>` for an external key store's. */
  id: string;
}

const BINDING_LABELS: Record<SecretBinding['kind'], { aad: string; context: string }> = {
  'client-key': { aad: 'keyward-access-key-secret', context: 'keyward:client-key-id' },
  'xks-credential': { aad: 'keyward-xks-proxy-secret', context: 'keyward:xks-credential' },
  'external-key-store': { aad: 'keyward-external-key-store-secret', context: 'keyward:external-key-store' },
};

function valueAad(binding: SecretBinding): Buffer {
  return Buffer.from(JSON.stringify([BINDING_LABELS[binding.kind].aad, binding.id]), 'utf8');
}

function dataKeyContext(binding: SecretBinding): Record<string, string> {
  return { [BINDING_LABELS[binding.kind].context]: binding.id };
}

/**
 * The access key secrets SigV4 requests are signed with (client keys, XKS proxy credentials): kept
 * only sealed, by the envelope encryption of secret values (a data key made and wrapped in the HSM
 * under the access keys CMK).
 */
export class AccessKeySecrets {
  constructor(
    private readonly context: ServiceContext,
    private readonly keys: KeyService,
    private readonly use: KeyUse,
    private readonly dataKeys: DataKeys,
  ) {}

  async seal(binding: SecretBinding, secret: Buffer, request: RequestContext): Promise<SealedAccessKeySecret> {
    const cmk = await this.cmk(request);
    const dataKey = await this.dataKeys.generate(cmk, DATA_KEY_BYTES, dataKeyContext(binding));
    try {
      return { secretKeyId: cmk.key.id, secretWrappedKey: dataKey.wrapped, secretSealed: sealValue(dataKey.plaintext, secret, valueAad(binding)) };
    } finally {
      dataKey.plaintext.fill(0);
    }
  }

  /** Checked again inside the transaction that stores the sealed secret: the CMK may have been disabled meanwhile. */
  requireStillUsable(keyId: string): void {
    this.use.resolver.requireUsable(this.use.resolver.resolve(keyId), 'ENCRYPT/DECRYPT');
  }

  /** The secret in the clear; the caller zeroes it after use. */
  async open(binding: SecretBinding, sealed: SealedAccessKeySecret): Promise<Buffer> {
    const key = this.use.resolver.resolve(sealed.secretKeyId);
    this.use.resolver.requireUsable(key, 'ENCRYPT/DECRYPT');
    const dataKey = await this.dataKeys.unwrap(sealed.secretWrappedKey, key, dataKeyContext(binding));
    try {
      return openValue(dataKey, sealed.secretSealed, valueAad(binding));
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
