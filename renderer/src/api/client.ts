import type { KmsBridge } from '../../../shared/bridge';
import type { Invoke, OperationInput, OperationName, OperationOutput } from '../../../shared/contract';
import type { ProgressEvent } from '../../../shared/wire';
import { rpcUrl } from '../lib/rpc-url';
import { createBridgeTransport } from './bridge-transport';
import type { ConnectionStatus, Transport } from './transport';
import { createWsTransport } from './ws-transport';

let transport: Transport | null = null;

/**
 * What the pick reads of the page's `window`, typed without the DOM library: the stores' unit tests
 * reach this module and type-check under Node, where they install a fake transport instead.
 */
interface Page {
  kms?: KmsBridge;
  location: { href: string };
}

/** Picks the transport once: the Electron preload's bridge when present, else the browser host's WebSocket. */
export function startClient(): Transport {
  if (transport) return transport;
  const page = globalThis as unknown as Page;
  if (page.kms) {
    transport = createBridgeTransport(page.kms);
    return transport;
  }
  transport = createWsTransport({ url: rpcUrl(page.location.href) });
  return transport;
}

/**
 * Makes `next` the transport every later call goes through, instead of the one startClient would
 * pick: how the stores' unit tests put a fake host behind `invoke`.
 */
export function installTransport(next: Transport): void {
  transport = next;
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
