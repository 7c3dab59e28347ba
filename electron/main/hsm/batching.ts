/**
 * Messages between the main process and a worker travel in batches: everything one side sends
 * during one turn of its event loop goes as one IPC message (an array), sent when the turn ends.
 * One IPC message costs far more than the call it carries (measured here: about 110 µs of CPU per
 * round trip one at a time, about 25 µs batched, against 12 µs for AES-GCM on 1 KiB), and with
 * many calls in flight their answers arrive together anyway. Both ends accept a single message too.
 */

/**
 * Batches go out early once this many messages wait: with every call of a window in one batch
 * the two processes would take turns, each idle while the other works on the whole window.
 */
export const MAX_BATCH = 16;

/**
 * Collects messages and hands them to `flush` at the end of the current event-loop turn, or at
 * once when MAX_BATCH of them wait.
 */
export function createOutbox<T>(flush: (batch: T[]) => void): { push(message: T): void; drain(): T[] } {
  let queued: T[] = [];
  let scheduled = false;
  const drain = (): T[] => {
    const batch = queued;
    queued = [];
    return batch;
  };
  const send = (): void => {
    const batch = drain();
    if (batch.length > 0) flush(batch);
  };
  return {
    push(message) {
      queued.push(message);
      if (queued.length >= MAX_BATCH) send();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          send();
        });
      }
    },
    drain,
  };
}

/** Calls `listener` for each message of a batch, or once for a single message. */
export function forEachMessage(message: unknown, listener: (message: unknown) => void): void {
  if (Array.isArray(message)) for (const item of message as unknown[]) listener(item);
  else listener(message);
}
