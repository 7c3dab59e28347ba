import type { Invoke, OperationInput, OperationName, OperationOutput } from '../../../shared/contract';
import type { ProgressEvent } from '../../../shared/wire';
import { rpcUrl } from '../lib/rpc-url';
import { createBridgeTransport } from './bridge-transport';
import type { ConnectionStatus, Transport } from './transport';
import { createWsTransport } from './ws-transport';

let transport: Transport | null = null;

/** Picks the transport once: the Electron preload's bridge when present, else the browser host's WebSocket. */
export function startClient(): Transport {
  if (transport) return transport;
  if (window.kms) {
    transport = createBridgeTransport(window.kms);
    return transport;
  }
  transport = createWsTransport({ url: rpcUrl(window.location.href) });
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
