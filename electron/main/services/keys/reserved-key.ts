import { contract } from '../../../../shared/contract';
import { errorCodeOf, KmsError } from '../../../../shared/errors';
import type { RequestContext } from '../request-context';
import type { ServiceContext } from '../service-context';
import type { KeyService } from './key-service';

/**
 * Makes, on first need, one of Keyward's own AES-256 keys in the default key store under its reserved
 * alias (key and alias in one transaction, audited as CreateKey). Does nothing when the alias exists.
 */
export async function ensureReservedKey(
  context: ServiceContext,
  keys: KeyService,
  reserved: { alias: string; description: string },
  request: RequestContext,
): Promise<void> {
  if (context.registry.aliases.get(reserved.alias)) return;
  const store = context.registry.keyStores.getDefault();
  if (!store) throw new KmsError('NotFound.KeyStore', 'The default key store does not exist yet (InitializeDefaultKeyStore).');
  const input = contract.CreateKey.input.parse({
    KeySpec: 'Aliyun_AES_256',
    KeyUsage: 'ENCRYPT/DECRYPT',
    KeyStoreId: store.id,
    Alias: reserved.alias,
    Description: reserved.description,
  });
  try {
    await keys.create(input, request, { reservedAlias: true });
  } catch (error) {
    // Another process (the CLI next to the console) made it first: use that one.
    if (errorCodeOf(error) !== 'AlreadyExists.Alias') throw error;
  }
}
