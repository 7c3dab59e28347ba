import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { KeyListEntry } from '../../../shared/contract';
import { invoke } from '../api/client';
import type { ListKeysFilter } from '../lib/key-filters';

/** CMKs a secret may use: enabled symmetric ENCRYPT/DECRYPT keys (GenerateDataKey works with these). */
const CMK_FILTERS: ListKeysFilter[] = [
  { Key: 'KeyState', Values: ['Enabled'] },
  { Key: 'KeyUsage', Values: ['ENCRYPT/DECRYPT'] },
  { Key: 'KeySpec', Values: ['Aliyun_AES_256', 'Aliyun_AES_192', 'Aliyun_AES_128'] },
];
const CMK_CHOICES = 50;

/**
 * The keys behind secrets, by key id: their aliases (for the list and the secret page) and the
 * CMKs the create and change-CMK dialogs offer. Key metadata only.
 */
export const useSecretKeysStore = defineStore('secretKeys', () => {
  const aliases = ref<Record<string, string[]>>({});
  const asked = new Set<string>();

  function remember(entries: readonly KeyListEntry[]): void {
    for (const entry of entries) {
      aliases.value[entry.KeyId] = entry.Aliases;
      asked.add(entry.KeyId);
    }
  }

  /** Reads the aliases of keys not asked about yet; a key that cannot be read shows by its id alone. */
  async function ensureAliases(keyIds: readonly string[]): Promise<void> {
    const missing = [...new Set(keyIds)].filter((keyId) => keyId && !asked.has(keyId));
    for (const keyId of missing) asked.add(keyId);
    await Promise.all(
      missing.map(async (keyId) => {
        const output = await invoke('ListAliasesByKeyId', { KeyId: keyId, PageNumber: 1, PageSize: 100 }).catch(() => null);
        aliases.value[keyId] = output?.Aliases.map((alias) => alias.AliasName) ?? [];
      }),
    );
  }

  /** Enabled symmetric ENCRYPT/DECRYPT keys whose id, alias or description holds `text`. */
  async function searchCmks(text: string): Promise<KeyListEntry[]> {
    const query = text.trim();
    const Filters = query ? [...CMK_FILTERS, { Key: 'Text' as const, Values: [query] }] : CMK_FILTERS;
    const output = await invoke('ListKeys', { PageNumber: 1, PageSize: CMK_CHOICES, Filters });
    remember(output.Keys);
    return output.Keys;
  }

  /** Forgets what was read, so a renamed alias shows after a refresh. */
  function forget(): void {
    aliases.value = {};
    asked.clear();
  }

  return { aliases, ensureAliases, searchCmks, forget };
});
