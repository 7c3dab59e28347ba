import type { KmsBridge } from '../../../shared/bridge';
import { KmsClientError } from './errors';
import type { ConnectionStatus, Transport } from './transport';

/** Electron: the preload's `window.kms`; always "open" while the window lives. */
export function createBridgeTransport(bridge: KmsBridge): Transport {
  return {
    kind: 'ipc',
    async call(operation, input) {
      const outcome = await bridge.invoke(operation, input);
      if (outcome.ok) return outcome.output;
      throw KmsClientError.fromUnknown(outcome.error);
    },
    onProgress: (listener) => bridge.onProgress(listener),
    onStatus(listener: (status: ConnectionStatus) => void) {
      listener('open');
      return () => {};
    },
  };
}
