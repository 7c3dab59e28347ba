import { describe, expect, it } from 'vitest';
import { useXksProxiesStore, type XksProxy } from '../../../../renderer/src/stores/xks-proxies';
import { XKS_CALL_OPERATIONS } from '../../../../renderer/src/lib/xks-proxies';
import { fakeHost, stub } from '../support/fake-host';

const PROXY = stub<XksProxy>({ XksProxyId: 'xks-1', Name: 'aws-prod' });

function xksHost(options: { failRotate?: boolean } = {}) {
  let made = 0;
  const credential = () => ({ AccessKeyId: `AK${++made}`, SecretAccessKey: `secret-${made}`, XksProxyUriPath: '/prod/kms/xks/v1' });
  return fakeHost({
    DescribeXksProxies: () => ({ XksProxies: [PROXY] }),
    CreateXksProxy: () => ({ ...credential(), XksProxyId: 'xks-1' }),
    RotateXksProxyCredential: () => {
      if (options.failRotate) throw new Error('key store disconnected');
      return credential();
    },
    RetireXksProxyCredential: () => ({ RetiredAccessKeyIds: ['AK1'], AccessKeyId: 'AK2' }),
    DeleteXksProxy: () => ({}),
    ListAuditEvents: () => ({ Events: [], TotalCount: 0, PageNumber: 1, PageSize: 20 }),
  });
}

describe('the XKS proxies store', () => {
  it('shows the credential CreateXksProxy made once, named for its proxy, and reloads the list', async () => {
    const host = xksHost();
    const store = useXksProxiesStore();
    await store.create({ Name: 'aws-prod', UriPath: '/prod', KeyStoreId: 'ks-1' });
    expect(store.credential).toEqual({ ProxyName: 'aws-prod', AccessKeyId: 'AK1', SecretAccessKey: 'secret-1', XksProxyUriPath: '/prod/kms/xks/v1', madeBy: 'create' });
    expect(host.operations()).toEqual(['CreateXksProxy', 'DescribeXksProxies']);
    expect(store.proxies).toEqual([PROXY]);
    store.forgetCredential();
    expect(store.credential).toBeNull();
  });

  it('replaces the shown credential on rotation, and a failed rotation leaves none shown', async () => {
    xksHost();
    const store = useXksProxiesStore();
    await store.create({ Name: 'aws-prod', UriPath: '/prod', KeyStoreId: 'ks-1' });
    await store.rotate(PROXY);
    expect(store.credential).toMatchObject({ AccessKeyId: 'AK2', madeBy: 'rotate' });

    xksHost({ failRotate: true });
    const failing = useXksProxiesStore();
    await failing.create({ Name: 'aws-prod', UriPath: '/prod', KeyStoreId: 'ks-1' });
    await expect(failing.rotate(PROXY)).rejects.toThrow('key store disconnected');
    expect(failing.credential).toBeNull();
  });

  it('retires and deletes by proxy id, and reads the latest XKS calls from the audit log', async () => {
    const host = xksHost();
    const store = useXksProxiesStore();
    expect(await store.retire(PROXY)).toEqual(['AK1']);
    await store.remove(PROXY);
    await store.loadCalls();
    expect(host.inputsOf('RetireXksProxyCredential')).toEqual([{ XksProxyId: 'xks-1' }]);
    expect(host.inputsOf('DeleteXksProxy')).toEqual([{ XksProxyId: 'xks-1' }]);
    expect(host.inputsOf('ListAuditEvents')).toEqual([{ PageNumber: 1, PageSize: 20, Filters: [{ Key: 'Operation', Values: [...XKS_CALL_OPERATIONS] }] }]);
    expect(host.inputsOf('DescribeXksProxies')).toHaveLength(2);
  });
});
