import type { Invoke, OperationInput, OperationName, OperationOutput } from '../../../shared/contract';
import type { ProgressEvent } from '../../../shared/wire';
import { rpcUrl, takeHostToken } from '../lib/host-token';
import { createBridgeTransport } from './bridge-transport';
import { KmsClientError } from './errors';
import type { ConnectionStatus, Transport } from './transport';
import { createWsTransport } from './ws-transport';

let transport: Transport | null = null;

/** A transport whose every call fails: the page was opened without the host's token. */
function noTokenTransport(): Transport {
  return {
    kind: 'ws',
    call: () =>
      Promise.reject(
        new KmsClientError(
          'Client.NoToken',
          'This page was opened without its access token. Open the exact KEYWARD_URL the host printed.',
        ),
      ),
    onProgress: () => () => {},
    onStatus(listener) {
      listener('closed');
      return () => {};
    },
  };
}

/** Picks the transport once: the Electron preload's bridge when present, else the browser host's WebSocket. */
export function startClient(): Transport {
  if (transport) return transport;
  if (window.kms) {
    transport = createBridgeTransport(window.kms);
    return transport;
  }
  const token = takeHostToken({
    href: window.location.href,
    storage: window.sessionStorage,
    replaceUrl: (url) => window.history.replaceState(window.history.state, '', url),
  });
  transport = token === null ? noTokenTransport() : createWsTransport({ url: rpcUrl(window.location.href, token) });
  return transport;
}

/** The one typed entry point to every operation; rejects with KmsClientError. */
export async function invoke<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
  const output = await startClient().call(name, input);
  return output as OperationOutput<N>;
}
invoke satisfies Invoke;

export function onProgress(listener: (event: ProgressEvent) => void): () => void {
  return startClient().onProgress(listener);
}

export function onConnectionStatus(listener: (status: ConnectionStatus) => void): () => void {
  return startClient().onStatus(listener);
}

export { KmsClientError, isKmsClientError } from './errors';
export type { ConnectionStatus } from './transport';
