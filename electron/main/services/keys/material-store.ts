import type { KeyRow, Registry } from '../../registry';

/**
 * The key store whose HSM holds a key's versions: its own store, except for a key of an external
 * key store, whose inner (Keyward-side) material lives in the default key store's token.
 */
export function materialStoreIdOf(registry: Registry, key: KeyRow): string {
  if (key.origin === 'EXTERNAL_KEY_STORE') return registry.keyStores.getDefault()?.id ?? '';
  return key.keyStoreId ?? '';
}
