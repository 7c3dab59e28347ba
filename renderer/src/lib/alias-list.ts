import { RESERVED_ALIAS_PREFIX } from '../../../shared/contract';

/** Aliases Keyward makes for itself (alias/keyward/…): listed, but the service refuses changes to them. */
export function isReservedAlias(aliasName: string): boolean {
  return aliasName.startsWith(RESERVED_ALIAS_PREFIX);
}

/** What the key picker needs of a ListKeys row. */
export interface KeyChoice {
  KeyId: string;
  KeySpec: string;
  KeyState: string;
  Description: string;
  Aliases: string[];
}

/**
 * The key picker's options: the id first (what UpdateAlias takes), then what tells keys apart. The
 * key the alias points at now is left out: choosing it would change nothing.
 */
export function keyChoiceOptions(keys: readonly KeyChoice[], currentKeyId: string): { label: string; value: string }[] {
  return keys
    .filter((key) => key.KeyId !== currentKeyId)
    .map((key) => {
      const details = [key.KeySpec, key.KeyState, ...key.Aliases.slice(0, 2), key.Description].filter(Boolean);
      return { label: `${key.KeyId} · ${details.join(' · ')}`, value: key.KeyId };
    });
}
