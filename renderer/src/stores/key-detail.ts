import { ref } from 'vue';
import { defineStore } from 'pinia';
import { SIGNING_ALGORITHMS_BY_SPEC, type KeyMetadata } from '../../../shared/contract';
import { invoke } from '../api/client';

/** One key's metadata and, for asymmetric keys, its public key. */
export const useKeyDetailStore = defineStore('keyDetail', () => {
  const metadata = ref<KeyMetadata | null>(null);
  const publicKeyPem = ref<string | null>(null);
  const loading = ref(false);
  let current = '';

  async function load(keyId: string): Promise<void> {
    current = keyId;
    loading.value = true;
    metadata.value = null;
    publicKeyPem.value = null;
    try {
      const { KeyMetadata } = await invoke('DescribeKey', { KeyId: keyId });
      if (current !== keyId) return;
      metadata.value = KeyMetadata;
      if (isAsymmetric(KeyMetadata)) {
        const { PublicKey } = await invoke('GetPublicKey', { KeyId: KeyMetadata.KeyId });
        if (current === keyId) publicKeyPem.value = PublicKey;
      }
    } finally {
      if (current === keyId) loading.value = false;
    }
  }

  return { metadata, publicKeyPem, loading, load };
});

export function isAsymmetric(metadata: Pick<KeyMetadata, 'KeySpec'>): boolean {
  return metadata.KeySpec.startsWith('RSA_') || metadata.KeySpec.startsWith('EC_');
}

export function signingAlgorithmsFor(metadata: Pick<KeyMetadata, 'KeySpec'>) {
  return SIGNING_ALGORITHMS_BY_SPEC[metadata.KeySpec] ?? [];
}
