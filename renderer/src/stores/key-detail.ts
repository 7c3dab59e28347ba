import { ref } from 'vue';
import { defineStore } from 'pinia';
import { SIGNING_ALGORITHMS_BY_SPEC, type KeyMetadata, type OperationOutput } from '../../../shared/contract';
import { invoke } from '../api/client';
import { isAsymmetricSpec } from '../lib/key-options';

export type KeyVersion = OperationOutput<'ListKeyVersions'>['KeyVersions'][number];
export type KeyAlias = OperationOutput<'ListAliasesByKeyId'>['Aliases'][number];
export type KeyTag = OperationOutput<'ListResourceTags'>['Tags'][number];

/** One key: metadata, public key, and (read per tab) versions, aliases and tags. */
export const useKeyDetailStore = defineStore('keyDetail', () => {
  const metadata = ref<KeyMetadata | null>(null);
  const publicKeyPem = ref<string | null>(null);
  const versions = ref<KeyVersion[]>([]);
  const aliases = ref<KeyAlias[]>([]);
  const tags = ref<KeyTag[]>([]);
  const loading = ref(false);
  let current = '';

  async function load(keyId: string): Promise<void> {
    const fresh = current !== keyId;
    current = keyId;
    loading.value = true;
    if (fresh) {
      metadata.value = null;
      publicKeyPem.value = null;
      versions.value = [];
      aliases.value = [];
      tags.value = [];
    }
    try {
      const { KeyMetadata } = await invoke('DescribeKey', { KeyId: keyId });
      if (current !== keyId) return;
      metadata.value = KeyMetadata;
      // Without material (PendingImport) there is no public key to read.
      if (isAsymmetric(KeyMetadata) && KeyMetadata.PrimaryKeyVersion) {
        const { PublicKey } = await invoke('GetPublicKey', { KeyId: KeyMetadata.KeyId });
        if (current === keyId) publicKeyPem.value = PublicKey;
      }
    } finally {
      if (current === keyId) loading.value = false;
    }
  }

  /** Describes the key again after a change (same key: the tabs keep what they show). */
  async function refresh(): Promise<void> {
    if (current) await load(current);
  }

  async function loadVersions(): Promise<void> {
    const keyId = current;
    const output = await invoke('ListKeyVersions', { KeyId: keyId, PageNumber: 1, PageSize: 100 });
    if (keyId === current) versions.value = output.KeyVersions;
  }

  async function loadAliases(): Promise<void> {
    const keyId = current;
    const output = await invoke('ListAliasesByKeyId', { KeyId: keyId, PageNumber: 1, PageSize: 100 });
    if (keyId === current) aliases.value = output.Aliases;
  }

  async function loadTags(): Promise<void> {
    const keyId = current;
    const output = await invoke('ListResourceTags', { KeyId: keyId });
    if (keyId === current) tags.value = output.Tags;
  }

  return { metadata, publicKeyPem, versions, aliases, tags, loading, load, refresh, loadVersions, loadAliases, loadTags };
});

export function isAsymmetric(metadata: Pick<KeyMetadata, 'KeySpec'>): boolean {
  return isAsymmetricSpec(metadata.KeySpec);
}

export function signingAlgorithmsFor(metadata: Pick<KeyMetadata, 'KeySpec'>) {
  return SIGNING_ALGORITHMS_BY_SPEC[metadata.KeySpec] ?? [];
}
