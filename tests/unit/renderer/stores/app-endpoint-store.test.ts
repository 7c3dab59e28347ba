import { describe, expect, it } from 'vitest';
import type { OperationResult } from '../../../../shared/contract';
import { KmsClientError } from '../../../../renderer/src/api/errors';
import { useAppEndpointStore, type EndpointDescription } from '../../../../renderer/src/stores/app-endpoint';
import { fakeHost, stub } from '../support/fake-host';

function endpointHost() {
  let state: EndpointDescription['State'] = 'STOPPED';
  return fakeHost({
    DescribeApplicationEndpoint: () => stub<OperationResult<'DescribeApplicationEndpoint'>>({ State: state }),
    StartApplicationEndpoint: (input) => {
      if (input.Port === 80) throw new KmsClientError('EndpointAddressUnavailable', 'port 80 is taken');
      state = 'RUNNING';
      return stub<OperationResult<'StartApplicationEndpoint'>>({ State: state, Address: input.Address, Port: input.Port });
    },
    StopApplicationEndpoint: () => {
      state = 'STOPPED';
      return stub<OperationResult<'StopApplicationEndpoint'>>({ State: state });
    },
    GetInstanceCaCertificate: () => stub<OperationResult<'GetInstanceCaCertificate'>>({ CaCertificate: 'CA-PEM' }),
  });
}

describe('the application endpoint store', () => {
  it('shows the endpoint each call answers with, without the request id', async () => {
    const host = endpointHost();
    const store = useAppEndpointStore();
    await store.refresh();
    expect(store.endpoint).toEqual({ State: 'STOPPED' });
    await store.start('0.0.0.0', 8443);
    expect(host.inputsOf('StartApplicationEndpoint')).toEqual([{ Address: '0.0.0.0', Port: 8443 }]);
    expect(store.endpoint).toEqual({ State: 'RUNNING', Address: '0.0.0.0', Port: 8443 });
    await store.stop();
    expect(store.endpoint).toEqual({ State: 'STOPPED' });
  });

  it('keeps the endpoint it showed when a start is refused', async () => {
    endpointHost();
    const store = useAppEndpointStore();
    await store.refresh();
    await expect(store.start('127.0.0.1', 80)).rejects.toMatchObject({ Code: 'EndpointAddressUnavailable' });
    expect(store.endpoint).toEqual({ State: 'STOPPED' });
  });

  it('keeps the instance CA certificate without the request id', async () => {
    endpointHost();
    const store = useAppEndpointStore();
    expect(await store.loadInstanceCa()).toEqual({ CaCertificate: 'CA-PEM' });
    expect(store.instanceCa).toEqual({ CaCertificate: 'CA-PEM' });
  });
});
