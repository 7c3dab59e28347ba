import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { KeyStore, OperationInput, OperationResult, ReconcileAction } from '../../../shared/contract';
import { invoke, type KmsClientError } from '../api/client';
import { isKmsClientError } from '../api/errors';
import { t } from '../i18n';
import { rereadAfterChange } from './reread';

export type { KeyStore } from '../../../shared/contract';
export type ReconcileReport = OperationResult<'ReconcileKeyStore'>;
export type KeyStoreCapabilities = OperationResult<'DescribeKeyStoreCapabilities'>;
/** The XKS proxy fields UpdateKeyStore takes for an external key store. */
export type XksProxyUpdate = Omit<OperationInput<'UpdateKeyStore'>, 'KeyStoreId' | 'NewKeyStoreName' | 'DefaultForHsmKeys'>;

/**
 * Key stores and, through the default one, the console's lock state. Passwords pass through the
 * actions' arguments straight into the call: they are never kept here.
 */
export const useKeyStoresStore = defineStore('keyStores', () => {
  const keyStores = ref<KeyStore[]>([]);
  const loaded = ref(false);
  const loadError = ref<KmsClientError | null>(null);

  const defaultStore = computed(() => keyStores.value.find((store) => store.KeyStoreType === 'DEFAULT') ?? null);

  async function refresh(): Promise<void> {
    try {
      const output = await invoke('DescribeKeyStores', {});
      keyStores.value = output.KeyStores;
      loadError.value = null;
      loaded.value = true;
    } catch (error) {
      if (!isKmsClientError(error)) throw error;
      loadError.value = error;
      throw error;
    }
  }

  function requireDefault(): KeyStore {
    if (!defaultStore.value) throw new Error(t('shell.gate.noDefaultStore'));
    return defaultStore.value;
  }

  async function initializeDefault(password: string): Promise<void> {
    await invoke('InitializeDefaultKeyStore', { KeyStorePassword: password });
    await refresh();
  }

  async function connect(keyStoreId: string, password?: string): Promise<void> {
    try {
      await invoke('ConnectKeyStore', { KeyStoreId: keyStoreId, KeyStorePassword: password });
    } finally {
      // A failed login may still change ConnectionState / ConnectionErrorCode.
      await rereadAfterChange(refresh());
    }
  }

  async function disconnect(keyStoreId: string): Promise<void> {
    await invoke('DisconnectKeyStore', { KeyStoreId: keyStoreId });
    await refresh();
  }

  async function lock(): Promise<void> {
    await disconnect(requireDefault().KeyStoreId);
  }

  async function unlock(password: string): Promise<void> {
    await connect(requireDefault().KeyStoreId, password);
  }

  /** Clears a cluster key store's failed logins and lockout with the cluster SO PIN (never kept here either). */
  async function clearLockout(keyStoreId: string, soPin: string): Promise<void> {
    try {
      await invoke('UnlockKeyStore', { KeyStoreId: keyStoreId, SoPin: soPin });
    } finally {
      // A wrong SO PIN counts as a failed login too.
      await rereadAfterChange(refresh());
    }
  }

  /** The private key store of an active cluster; the cluster owner certificate is its trust anchor. */
  async function createClusterStore(name: string, clusterId: string, password: string, trustAnchor: string): Promise<string> {
    const { KeyStoreId } = await invoke('CreateKeyStore', {
      KeyStoreName: name,
      ClusterId: clusterId,
      KeyStorePassword: password,
      TrustAnchorCertificate: trustAnchor,
    });
    await rereadAfterChange(refresh());
    return KeyStoreId;
  }

  /**
   * An external key store (KeyStoreType EXTERNAL_KEY_STORE): the input carries the proxy credential's
   * secret, passed straight into the call and never kept here.
   */
  async function createExternalStore(input: OperationInput<'CreateKeyStore'>): Promise<string> {
    const { KeyStoreId } = await invoke('CreateKeyStore', input);
    await rereadAfterChange(refresh());
    return KeyStoreId;
  }

  /** Where an external key store's proxy is and how it signs in (disconnected stores only). */
  async function updateProxy(keyStoreId: string, update: XksProxyUpdate): Promise<void> {
    await invoke('UpdateKeyStore', { KeyStoreId: keyStoreId, ...update });
    await rereadAfterChange(refresh());
  }

  /** REPORT changes nothing; REMOVE_ORPHAN_OBJECTS destroys the orphan objects it finds. */
  async function reconcile(keyStoreId: string, action: ReconcileAction): Promise<ReconcileReport> {
    return invoke('ReconcileKeyStore', { KeyStoreId: keyStoreId, Action: action });
  }

  async function rename(keyStoreId: string, name: string): Promise<void> {
    await invoke('UpdateKeyStore', { KeyStoreId: keyStoreId, NewKeyStoreName: name });
    await rereadAfterChange(refresh());
  }

  /** Marks (or unmarks) the store CreateKey uses for ProtectionLevel HSM without a KeyStoreId. */
  async function setDefaultForHsmKeys(keyStoreId: string, isDefault: boolean): Promise<void> {
    await invoke('UpdateKeyStore', { KeyStoreId: keyStoreId, DefaultForHsmKeys: isDefault });
    await rereadAfterChange(refresh());
  }

  async function remove(keyStoreId: string): Promise<void> {
    await invoke('DeleteKeyStore', { KeyStoreId: keyStoreId });
    await rereadAfterChange(refresh());
  }

  /** What the store's HSMs can make and import (a connected store only). */
  async function capabilities(keyStoreId: string): Promise<KeyStoreCapabilities> {
    return invoke('DescribeKeyStoreCapabilities', { KeyStoreId: keyStoreId });
  }

  function byId(keyStoreId: string): KeyStore | null {
    return keyStores.value.find((store) => store.KeyStoreId === keyStoreId) ?? null;
  }

  return {
    keyStores,
    loaded,
    loadError,
    defaultStore,
    refresh,
    setDefaultForHsmKeys,
    initializeDefault,
    connect,
    disconnect,
    lock,
    unlock,
    clearLockout,
    createClusterStore,
    createExternalStore,
    updateProxy,
    reconcile,
    rename,
    remove,
    byId,
    capabilities,
  };
});
