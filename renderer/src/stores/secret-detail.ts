import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { OperationOutput, SecretVersionEntry } from '../../../shared/contract';
import { invoke } from '../api/client';

export type SecretDescription = Omit<OperationOutput<'DescribeSecret'>, 'RequestId'>;
export type SecretTag = OperationOutput<'ListResourceTags'>['Tags'][number];
export type SecretValue = OperationOutput<'GetSecretValue'>;

/** Every version a secret page lists: the host keeps at most 10 without a stage plus at most 8 staged. */
const VERSION_PAGE_SIZE = 100;

/**
 * One secret's metadata, versions (all, deprecated ones included) and tags. Never its value:
 * readValue hands a value to the component that asked, which forgets it when hidden or left.
 */
export const useSecretDetailStore = defineStore('secretDetail', () => {
  const metadata = ref<SecretDescription | null>(null);
  const versions = ref<SecretVersionEntry[]>([]);
  const tags = ref<SecretTag[]>([]);
  const loading = ref(false);
  let current = '';

  async function load(name: string): Promise<void> {
    const fresh = current !== name;
    current = name;
    loading.value = true;
    if (fresh) {
      metadata.value = null;
      versions.value = [];
      tags.value = [];
    }
    try {
      const { RequestId: _requestId, ...description } = await invoke('DescribeSecret', { SecretName: name });
      if (current === name) metadata.value = description;
    } finally {
      if (current === name) loading.value = false;
    }
  }

  async function refresh(): Promise<void> {
    if (current) await Promise.all([load(current), loadVersions()]);
  }

  async function loadVersions(): Promise<void> {
    const name = current;
    const output = await invoke('ListSecretVersionIds', { SecretName: name, IncludeDeprecated: true, PageNumber: 1, PageSize: VERSION_PAGE_SIZE });
    if (name === current) versions.value = output.VersionIds;
  }

  async function loadTags(): Promise<void> {
    const name = current;
    const output = await invoke('ListResourceTags', { SecretName: name });
    if (name === current) tags.value = output.Tags;
  }

  async function readValue(versionId: string): Promise<SecretValue> {
    return invoke('GetSecretValue', { SecretName: current, VersionId: versionId });
  }

  /** The secret is gone (force-deleted): nothing of it stays. */
  function clear(): void {
    current = '';
    metadata.value = null;
    versions.value = [];
    tags.value = [];
  }

  return { metadata, versions, tags, loading, load, refresh, loadVersions, loadTags, readValue, clear };
});
