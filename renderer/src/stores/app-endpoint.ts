import { shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { OperationResult } from '../../../shared/contract';
import { invoke } from '../api/client';

export type { ApplicationCall } from '../../../shared/contract';
export type EndpointDescription = OperationResult<'DescribeApplicationEndpoint'>;
export type InstanceCa = OperationResult<'GetInstanceCaCertificate'>;

/** The application endpoint's state and latest calls, and the instance CA certificate applications trust. */
export const useAppEndpointStore = defineStore('appEndpoint', () => {
  const endpoint = shallowRef<EndpointDescription | null>(null);
  const instanceCa = shallowRef<InstanceCa | null>(null);

  function keep(output: EndpointDescription & { RequestId?: string }): void {
    const { RequestId: _requestId, ...description } = output;
    endpoint.value = description;
  }

  async function refresh(): Promise<void> {
    keep(await invoke('DescribeApplicationEndpoint', {}));
  }

  async function start(address: string, port: number): Promise<void> {
    keep(await invoke('StartApplicationEndpoint', { Address: address, Port: port }));
  }

  async function stop(): Promise<void> {
    keep(await invoke('StopApplicationEndpoint', {}));
  }

  /** The CA certificate (made inside the default key store's HSM on first need). */
  async function loadInstanceCa(): Promise<InstanceCa> {
    const { RequestId: _requestId, ...ca } = await invoke('GetInstanceCaCertificate', {});
    instanceCa.value = ca;
    return ca;
  }

  return { endpoint, instanceCa, refresh, start, stop, loadInstanceCa };
});
