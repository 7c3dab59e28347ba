import { ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { AuditEvent, OperationInput, XksProxy } from '../../../shared/contract';
import { invoke } from '../api/client';
import { XKS_CALL_OPERATIONS } from '../lib/xks-proxies';

export type { XksProxy } from '../../../shared/contract';
export type XksProxyRequest = OperationInput<'CreateXksProxy'>;

/** A credential just made (by CreateXksProxy or RotateXksProxyCredential), held for its one-time view only. */
export interface ShownXksCredential {
  ProxyName: string;
  AccessKeyId: string;
  SecretAccessKey: string;
  XksProxyUriPath: string;
  /** Why it was made: the view's title says it. */
  madeBy: 'create' | 'rotate';
}

/** How many of the latest XKS calls the page shows. */
const CALLS_SHOWN = 20;

/**
 * The XKS proxies Keyward serves, the latest XKS calls from the audit log, and the credential just
 * made. Keyward keeps a credential's secret only sealed, so `credential` is its one copy in the
 * console: the view offers it once and `forgetCredential()` drops it when it closes or is left.
 */
export const useXksProxiesStore = defineStore('xksProxies', () => {
  const proxies = ref<XksProxy[]>([]);
  const loaded = ref(false);
  const calls = ref<AuditEvent[]>([]);
  const credential = shallowRef<ShownXksCredential | null>(null);

  async function reload(): Promise<void> {
    const output = await invoke('DescribeXksProxies', {});
    proxies.value = output.XksProxies;
    loaded.value = true;
  }

  async function loadCalls(): Promise<void> {
    const output = await invoke('ListAuditEvents', { PageNumber: 1, PageSize: CALLS_SHOWN, Filters: [{ Key: 'Operation', Values: [...XKS_CALL_OPERATIONS] }] });
    calls.value = output.Events;
  }

  async function create(request: XksProxyRequest): Promise<void> {
    forgetCredential();
    const { AccessKeyId, SecretAccessKey, XksProxyUriPath } = await invoke('CreateXksProxy', request);
    credential.value = { ProxyName: request.Name, AccessKeyId, SecretAccessKey, XksProxyUriPath, madeBy: 'create' };
    await reload();
  }

  async function rotate(proxy: XksProxy): Promise<void> {
    forgetCredential();
    const { AccessKeyId, SecretAccessKey, XksProxyUriPath } = await invoke('RotateXksProxyCredential', { XksProxyId: proxy.XksProxyId });
    credential.value = { ProxyName: proxy.Name, AccessKeyId, SecretAccessKey, XksProxyUriPath, madeBy: 'rotate' };
    await reload();
  }

  /** Resolves with the access key ids that stopped working. */
  async function retire(proxy: XksProxy): Promise<string[]> {
    const output = await invoke('RetireXksProxyCredential', { XksProxyId: proxy.XksProxyId });
    await reload();
    return output.RetiredAccessKeyIds;
  }

  async function remove(proxy: XksProxy): Promise<void> {
    await invoke('DeleteXksProxy', { XksProxyId: proxy.XksProxyId });
    await reload();
  }

  function forgetCredential(): void {
    credential.value = null;
  }

  return { proxies, loaded, calls, credential, reload, loadCalls, create, rotate, retire, remove, forgetCredential };
});
