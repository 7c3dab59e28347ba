import { describe, expect, it } from 'vitest';
import type { KeyStore } from '../../../../shared/contract';
import { useConnectionStore } from '../../../../renderer/src/stores/connection';
import { useKeyStoresStore } from '../../../../renderer/src/stores/keystores';
import { fakeHost, stub } from '../support/fake-host';

/** Lets the refresh a status change starts in the background reach the fake host. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the connection store', () => {
  it('follows the transport status and reads the key stores again only after a reconnect', async () => {
    let connection = 'DISCONNECTED';
    const host = fakeHost({
      DescribeKeyStores: () => ({ KeyStores: [stub<KeyStore>({ KeyStoreId: 'ks', KeyStoreType: 'DEFAULT', ConnectionState: connection as KeyStore['ConnectionState'] })] }),
    });
    const store = useConnectionStore();
    store.start();
    store.start();
    expect(store.status).toBe('connecting');
    host.status('open');
    await settle();
    expect(store.status).toBe('open');
    expect(host.operations()).toEqual([]);

    host.status('reconnecting');
    expect(store.status).toBe('reconnecting');
    connection = 'CONNECTED';
    host.status('open');
    await settle();
    // Started twice, yet one listener: one refresh.
    expect(host.operations()).toEqual(['DescribeKeyStores']);
    expect(useKeyStoresStore().defaultStore?.ConnectionState).toBe('CONNECTED');
  });

  it('swallows a refused refresh after a reconnect, keeping the status', async () => {
    const host = fakeHost({});
    const store = useConnectionStore();
    store.start();
    host.status('reconnecting');
    host.status('open');
    await settle();
    expect(host.operations()).toEqual(['DescribeKeyStores']);
    expect(store.status).toBe('open');
    expect(useKeyStoresStore().loadError?.Code).toBe('InvalidAction');
  });
});
