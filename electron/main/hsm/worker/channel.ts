/**
 * The worker's side of the message channel. Under Electron's utilityProcess the parent is reached
 * through `process.parentPort` (messages arrive as `{data}`); under Node's child_process.fork
 * through `process.send` / `process.on('message')` with 'advanced' serialization.
 */
import { createOutbox, forEachMessage } from '../batching';
import type { WorkerResponse } from '../protocol';

/** The part of Electron's ParentPort the worker uses (typed here: electron's types are not in Node). */
interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export interface ParentChannel {
  send(message: WorkerResponse): void;
  /** Sends the last message, then ends the process once it has been handed over. */
  sendAndExit(message: WorkerResponse, code: number): void;
  onMessage(listener: (message: unknown) => void): void;
  /** The parent went away (IPC disconnect); utilityProcess children are ended by Electron instead. */
  onDisconnect(listener: () => void): void;
}

export function createParentChannel(): ParentChannel | null {
  const parentPort = (process as NodeJS.Process & { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      sendAndExit: (message, code) => {
        parentPort.postMessage(message);
        // postMessage has no completion callback; give the message loop a moment to flush it.
        setTimeout(() => process.exit(code), 100);
      },
      // Answers go one by one here: the Electron launcher's side reads single messages.
      onMessage: (listener) => parentPort.on('message', (event) => forEachMessage(event.data, listener)),
      onDisconnect: () => undefined,
    };
  }
  const send = process.send?.bind(process);
  if (!send) return null;
  const outbox = createOutbox<WorkerResponse>((batch) => {
    if (process.connected) send(batch);
  });
  return {
    send: (message) => outbox.push(message),
    sendAndExit: (message, code) => {
      if (!process.connected) process.exit(code);
      send([...outbox.drain(), message], undefined, {}, () => process.exit(code));
    },
    onMessage: (listener) => process.on('message', (message: unknown) => forEachMessage(message, listener)),
    onDisconnect: (listener) => process.on('disconnect', listener),
  };
}
