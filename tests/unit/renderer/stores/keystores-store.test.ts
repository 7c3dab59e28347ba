import { describe, expect, it } from 'vitest';
import type { KeyStore, OperationResult } from '../../../../shared/contract';
import { KmsClientError } from '../../../../renderer/src/api/errors';
import { useKeyStoresStore } from '../../../../renderer/src/stores/keystores';
import { fakeHost, stub } from '../support/fake-host';

const DEFAULT_ID = 'ks-default';

/** A host with a default store (and a cluster store) whose ConnectionState follows Connect/Disconnect. */
function storesHost(options: { password?: string; withDefault?: boolean } = {}) {
  const states: Record<string, string> = { [DEFAULT_ID]: 'DISCONNECTED', 'ks-cluster': 'CONNECTED' };
  let describeFails = false;
  const host = fakeHost({
    DescribeKeyStores: () => {
      if (describeFails) throw new KmsClientError('InternalFailure', 'registry unavailable');
      const stores = [
        stub<KeyStore>({ KeyStoreId: 'ks-cluster', KeyStoreType: 'HSM_CLUSTER', ConnectionState: states['ks-cluster'] as KeyStore['ConnectionState'] }),
        stub<KeyStore>({ KeyStoreId: DEFAULT_ID, KeyStoreType: 'DEFAULT', ConnectionState: states[DEFAULT_ID] as KeyStore['ConnectionState'] }),
      ];
      return { KeyStores: options.withDefault === false ? stores.slice(0, 1) : stores };
    },
    ConnectKeyStore: (input) => {
      if (input.KeyStorePassword !== (options.password ?? 'right')) {
        states[input.KeyStoreId] = 'FAILED';
        throw new KmsClientError('HsmError.PinIncorrect', 'wrong password');
      }
      states[input.KeyStoreId] = 'CONNECTED';
      return stub<OperationResult<'ConnectKeyStore'>>({ KeyStoreId: input.KeyStoreId });
    },
    DisconnectKeyStore: (input) => {
      states[input.KeyStoreId] = 'DISCONNECTED';
      return stub<OperationResult<'DisconnectKeyStore'>>({ KeyStoreId: input.KeyStoreId });
    },
    UnlockKeyStore: (input) => {
      if (input.SoPin !== 'so-right') throw new KmsClientError('HsmError.PinIncorrect', 'wrong SO PIN');
      return { KeyStoreId: input.KeyStoreId, FailedLogins: 0, LockedOut: false };
    },
    CreateKeyStore: (input) => ({ KeyStoreId: `ks-${input.KeyStoreName}` }),
    UpdateKeyStore: (input) => stub<OperationResult<'UpdateKeyStore'>>({ KeyStoreId: input.KeyStoreId }),
    DeleteKeyStore: (input) => ({ KeyStoreId: input.KeyStoreId }),
    ReconcileKeyStore: (input) => stub<OperationResult<'ReconcileKeyStore'>>({ KeyStoreId: input.KeyStoreId, Action: input.Action ?? 'REPORT', OrphanObjects: [] }),
  });
  return { host, failDescribe: (fails: boolean) => (describeFails = fails) };
}

describe('the key stores store', () => {
  it('finds the default store among those DescribeKeyStores lists', async () => {
    storesHost();
    const stores = useKeyStoresStore();
    expect(stores.loaded).toBe(false);
    await stores.refresh();
    expect(stores.loaded).toBe(true);
    expect(stores.defaultStore?.KeyStoreId).toBe(DEFAULT_ID);
    expect(stores.byId('ks-cluster')?.KeyStoreType).toBe('HSM_CLUSTER');
    expect(stores.byId('ks-none')).toBeNull();
  });

  it('unlocks and locks the console through the default store, the password going only into the call', async () => {
    const { host } = storesHost();
    const stores = useKeyStoresStore();
    await stores.refresh();
    await stores.unlock('right');
    expect(stores.defaultStore?.ConnectionState).toBe('CONNECTED');
    await stores.lock();
    expect(stores.defaultStore?.ConnectionState).toBe('DISCONNECTED');
    expect(host.inputsOf('ConnectKeyStore')).toEqual([{ KeyStoreId: DEFAULT_ID, KeyStorePassword: 'right' }]);
    expect(host.inputsOf('DisconnectKeyStore')).toEqual([{ KeyStoreId: DEFAULT_ID }]);
    expect(JSON.stringify(stores.$state)).not.toContain('right');
  });

  it('rethrows a refused login after reading the state the failure left', async () => {
    const { host } = storesHost();
    const stores = useKeyStoresStore();
    await stores.refresh();
    await expect(stores.unlock('wrong')).rejects.toMatchObject({ Code: 'HsmError.PinIncorrect' });
    expect(stores.defaultStore?.ConnectionState).toBe('FAILED');
    expect(host.operations()).toEqual(['DescribeKeyStores', 'ConnectKeyStore', 'DescribeKeyStores']);
  });

  it('refuses to lock or unlock without a default store, calling nothing', async () => {
    const { host } = storesHost({ withDefault: false });
    const stores = useKeyStoresStore();
    await stores.refresh();
    await expect(stores.lock()).rejects.toThrow('The host reported no default key store.');
    await expect(stores.unlock('right')).rejects.toThrow('The host reported no default key store.');
    expect(host.operations()).toEqual(['DescribeKeyStores']);
  });

  it('records a refused DescribeKeyStores, keeping the stores it had, and clears it on the next success', async () => {
    const fake = storesHost();
    const stores = useKeyStoresStore();
    await stores.refresh();
    fake.failDescribe(true);
    await expect(stores.refresh()).rejects.toMatchObject({ Code: 'InternalFailure' });
    expect(stores.loadError?.Code).toBe('InternalFailure');
    expect(stores.keyStores).toHaveLength(2);
    fake.failDescribe(false);
    await stores.refresh();
    expect(stores.loadError).toBeNull();
  });

  it('reports a rename that went through as done when the re-read after it fails, keeping the read error', async () => {
    const { host, failDescribe } = storesHost();
    const stores = useKeyStoresStore();
    await stores.refresh();
    failDescribe(true);
    await expect(stores.rename('ks-cluster', 'renamed')).resolves.toBeUndefined();
    await expect(stores.remove('ks-cluster')).resolves.toBeUndefined();
    expect(host.operations().filter((operation) => operation !== 'DescribeKeyStores')).toEqual(['UpdateKeyStore', 'DeleteKeyStore']);
    expect(stores.loadError?.Code).toBe('InternalFailure');
    expect(stores.byId('ks-cluster')).not.toBeNull();
  });

  it('clears a lockout with the SO PIN and re-reads the stores even when the PIN is wrong', async () => {
    const { host } = storesHost();
    const stores = useKeyStoresStore();
    await expect(stores.clearLockout('ks-cluster', 'so-wrong')).rejects.toThrow('wrong SO PIN');
    await stores.clearLockout('ks-cluster', 'so-right');
    expect(host.operations()).toEqual(['UnlockKeyStore', 'DescribeKeyStores', 'UnlockKeyStore', 'DescribeKeyStores']);
    expect(host.inputsOf('UnlockKeyStore')).toEqual([
      { KeyStoreId: 'ks-cluster', SoPin: 'so-wrong' },
      { KeyStoreId: 'ks-cluster', SoPin: 'so-right' },
    ]);
    expect(JSON.stringify(stores.$state)).not.toContain('so-');
  });

  it('sends creation, renaming, default marking, proxy updates, reconciling and deletion as UpdateKeyStore and friends take them', async () => {
    const { host } = storesHost();
    const stores = useKeyStoresStore();
    expect(await stores.createClusterStore('vault', 'cluster-1', 'kms-pass', 'PEM')).toBe('ks-vault');
    await stores.rename('ks-vault', 'vault-2');
    await stores.setDefaultForHsmKeys('ks-vault', true);
    await stores.updateProxy('ks-xks', { XksProxyUriEndpoint: 'https://proxy.example', XksProxyUriPath: '/kms/xks/v1' });
    const report = await stores.reconcile('ks-vault', 'REPORT');
    await stores.remove('ks-vault');
    expect(host.inputsOf('CreateKeyStore')).toEqual([
      { KeyStoreName: 'vault', ClusterId: 'cluster-1', KeyStorePassword: 'kms-pass', TrustAnchorCertificate: 'PEM' },
    ]);
    expect(host.inputsOf('UpdateKeyStore')).toEqual([
      { KeyStoreId: 'ks-vault', NewKeyStoreName: 'vault-2' },
      { KeyStoreId: 'ks-vault', DefaultForHsmKeys: true },
      { KeyStoreId: 'ks-xks', XksProxyUriEndpoint: 'https://proxy.example', XksProxyUriPath: '/kms/xks/v1' },
    ]);
    expect(report).toMatchObject({ KeyStoreId: 'ks-vault', Action: 'REPORT' });
    expect(host.inputsOf('DeleteKeyStore')).toEqual([{ KeyStoreId: 'ks-vault' }]);
    // Every change but the report re-reads the list.
    expect(host.operations().filter((operation) => operation === 'DescribeKeyStores')).toHaveLength(5);
  });
});
