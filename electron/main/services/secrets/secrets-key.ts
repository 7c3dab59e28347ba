import { contract, DEFAULT_SECRETS_KEY_ALIAS } from '../../../../shared/contract';
import { errorCodeOf, KmsError } from '../../../../shared/errors';
import type { UsableKey } from '../crypto/key-use';
import type { KeyService } from '../keys/key-service';
import type { RequestContext } from '../request-context';
import type { ServiceContext } from '../service-context';
import type { SecretSealer } from './secret-sealer';

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
    if (!this.context.registry.aliases.get(DEFAULT_SECRETS_KEY_ALIAS)) await this.createDefault(request);
    return this.sealer.cmk(DEFAULT_SECRETS_KEY_ALIAS);
  }

  private async createDefault(request: RequestContext): Promise<void> {
    const store = this.context.registry.keyStores.getDefault();
    if (!store) throw new KmsError('NotFound.KeyStore', 'The default key store does not exist yet (InitializeDefaultKeyStore).');
    const input = contract.CreateKey.input.parse({
      KeySpec: 'Aliyun_AES_256',
      KeyUsage: 'ENCRYPT/DECRYPT',
      KeyStoreId: store.id,
      Alias: DEFAULT_SECRETS_KEY_ALIAS,
      Description: 'Default key of Secrets Manager: wraps the data keys of secrets created without EncryptionKeyId.',
    });
    try {
      await this.keys.create(input, request, { reservedAlias: true });
    } catch (error) {
      // Another process (the CLI next to the console) made it first: use that one.
      if (errorCodeOf(error) !== 'AlreadyExists.Alias') throw error;
    }
  }
}
