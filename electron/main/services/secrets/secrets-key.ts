import { DEFAULT_SECRETS_KEY_ALIAS } from '../../../../shared/contract';
import type { UsableKey } from '../crypto/key-use';
import type { KeyService } from '../keys/key-service';
import { ensureReservedKey } from '../keys/reserved-key';
import type { RequestContext } from '../request-context';
import type { ServiceContext } from '../service-context';
import type { SecretSealer } from './secret-sealer';

const DEFAULT_SECRETS_KEY = {
  alias: DEFAULT_SECRETS_KEY_ALIAS,
  description: 'Default key of Secrets Manager: wraps the data keys of secrets created without EncryptionKeyId.',
};

/**
 * The CMK of a new secret: the one named, else the default secrets key (seed 001's service key),
 * an AES-256 key in the default key store created with its reserved alias on first need, through
 * the key service (key and alias in one transaction, audited as CreateKey).
 */
export class SecretsKey {
  constructor(
    private readonly context: ServiceContext,
    private readonly keys: KeyService,
    private readonly sealer: SecretSealer,
  ) {}

  async forNewSecret(identifier: string | undefined, request: RequestContext): Promise<UsableKey> {
    if (identifier !== undefined) return this.sealer.cmk(identifier);
    await ensureReservedKey(this.context, this.keys, DEFAULT_SECRETS_KEY, request);
    return this.sealer.cmk(DEFAULT_SECRETS_KEY_ALIAS);
  }
}
