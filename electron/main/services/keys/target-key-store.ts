import type { ProtectionLevel } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyStoreRow, Registry } from '../../registry';
import type { KeyStoreConnections } from '../keystores/connections';

/**
 * The key store a new key goes to. An explicit KeyStoreId wins (and must give the protection asked
 * for). Without one, `ProtectionLevel: HSM` takes the store marked as the default for HSM keys, else
 * the one connected HSM-protected store; anything else (SOFTWARE, or no level) the default key store.
 */
export function targetKeyStore(
  registry: Registry,
  connections: KeyStoreConnections,
  keyStoreId: string | undefined,
  protectionLevel: ProtectionLevel | undefined,
): KeyStoreRow {
  if (keyStoreId) {
    const store = registry.keyStores.get(keyStoreId);
    if (!store) throw new KmsError('NotFound.KeyStore', `Key store ${keyStoreId} does not exist.`);
    return requireLevel(store, protectionLevel);
  }
  if (protectionLevel === 'HSM') return hsmKeyStore(registry, connections);
  const store = registry.keyStores.getDefault();
  if (!store) throw new KmsError('NotFound.KeyStore', 'The default key store does not exist yet (InitializeDefaultKeyStore).');
  return requireLevel(store, protectionLevel);
}

function hsmKeyStore(registry: Registry, connections: KeyStoreConnections): KeyStoreRow {
  const marked = registry.keyStores.getDefaultForHsmKeys();
  if (marked) return marked;
  // An external key store's keys need an XksKeyId: it is never chosen for a plain ProtectionLevel HSM.
  const hsmStores = registry.keyStores.list().filter((store) => store.protectionLevel === 'HSM' && store.type !== 'EXTERNAL_KEY_STORE');
  if (hsmStores.length === 0) {
    throw new KmsError('InvalidParameter', 'ProtectionLevel HSM without KeyStoreId: there is no HSM-protected key store to choose. Create an HSM cluster key store (CreateKeyStore), or leave ProtectionLevel out for the default key store.');
  }
  const connected = hsmStores.filter((store) => connections.get(store.id).state === 'CONNECTED');
  const [only] = connected;
  if (only && connected.length === 1) return only;
  const choices = (connected.length > 1 ? connected : hsmStores).map((store) => `${store.id} (${store.name})`).join(', ');
  const situation = connected.length > 1 ? 'several HSM key stores are connected' : 'no HSM key store is connected';
  throw new KmsError(
    'InvalidParameter',
    `ProtectionLevel HSM without KeyStoreId: ${situation} and none is marked as the default for HSM keys. Pass KeyStoreId, connect one, or mark one with UpdateKeyStore DefaultForHsmKeys. Choices: ${choices}.`,
  );
}

function requireLevel(store: KeyStoreRow, protectionLevel: ProtectionLevel | undefined): KeyStoreRow {
  if (protectionLevel && protectionLevel !== store.protectionLevel) {
    throw new KmsError('InvalidParameter', `Key store ${store.id} provides ${store.protectionLevel} protection, not ${protectionLevel}.`);
  }
  return store;
}
