/**
 * Entry point of the PKCS#11 worker process (one per ModuleSpec). The parent sets the module's
 * environment (SOFTHSM2_CONF, P11_KIT_SERVER_ADDRESS) on this process before it starts, sends
 * `open` first, then requests; this process never logs PINs, arguments or key material.
 */
import { parseRequest } from '../protocol';
import { createParentChannel } from './channel';
import { toFailure } from './errors';
import { HsmWorkerService } from './service';

const channel = createParentChannel();
if (!channel) {
  console.error('keyward hsm worker: no parent channel (start it with child_process.fork or utilityProcess)');
  process.exit(2);
}

const service = new HsmWorkerService();
let exiting = false;

channel.onMessage((raw) => {
  const request = parseRequest(raw);
  if (!request) {
    // Answer malformed requests that carry an id (a client/worker version mismatch) instead of
    // leaving the caller to its timeout; without an id there is no one to answer.
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id === 'number') {
      channel.send({ id, ok: false, failure: { code: 'InternalFailure', ckr: null, message: 'the HSM worker does not know this request' } });
    }
    return;
  }
  const { id, method, args } = request;
  service.handle(method, args).then(
    (result) => {
      if (method === 'shutdown') {
        exiting = true;
        channel.sendAndExit({ id, ok: true, result }, 0);
      } else {
        channel.send({ id, ok: true, result });
      }
    },
    (error: unknown) => channel.send({ id, ok: false, failure: toFailure(error, method) }),
  );
});

// The parent died or closed the channel: release the token cleanly, then go.
channel.onDisconnect(() => {
  if (exiting) return;
  exiting = true;
  void service.shutdown().finally(() => process.exit(0));
});
