import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KmsClientError } from '../../../renderer/src/api/errors';
import type { ConnectionStatus } from '../../../renderer/src/api/transport';
import { createWsTransport } from '../../../renderer/src/api/ws-transport';
import type { ProgressEvent } from '../../../shared/wire';
import { socketFactory } from './support/fake-socket';

const URL = 'ws://127.0.0.1:7000/rpc';
/** Longer than the first reconnect delay (250 ms + 20 % jitter). */
const FIRST_BACKOFF_MS = 300;

/** A call's outcome as the test sees it, without awaiting a promise that may never settle. */
function track(promise: Promise<unknown>) {
  const seen: { state: 'pending' | 'resolved' | 'rejected'; value?: unknown; error?: KmsClientError } = { state: 'pending' };
  promise.then(
    (value) => Object.assign(seen, { state: 'resolved', value }),
    (error: KmsClientError) => Object.assign(seen, { state: 'rejected', error }),
  );
  return seen;
}

function start(connectWaitMs = 5_000) {
  const factory = socketFactory();
  const statuses: ConnectionStatus[] = [];
  const transport = createWsTransport({ url: URL, connectWaitMs, openSocket: factory.openSocket });
  transport.onStatus((status) => statuses.push(status));
  return { ...factory, transport, statuses };
}

/** Lets settled promises run their callbacks. */
const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the browser host WebSocket transport', () => {
  it('holds calls made before the socket opens and sends them, in order, once it does', async () => {
    const { transport, latest, statuses } = start();
    expect(latest().url).toBe(URL);
    const first = track(transport.call('ListKeys', { PageNumber: 1 }));
    const second = track(transport.call('DescribeKey', { KeyId: 'k1' }));
    expect(latest().sent).toEqual([]);

    latest().open();
    expect(statuses).toEqual(['connecting', 'open']);
    expect(latest().sent).toEqual([
      { id: 1, op: 'ListKeys', input: { PageNumber: 1 } },
      { id: 2, op: 'DescribeKey', input: { KeyId: 'k1' } },
    ]);

    latest().receive({ kind: 'result', id: 2, output: { KeyMetadata: 'k1' } });
    latest().receive({ kind: 'error', id: 1, error: { Code: 'NotFound.Key', Message: 'gone', RequestId: 'r-1' } });
    await flush();
    expect(second).toEqual({ state: 'resolved', value: { KeyMetadata: 'k1' } });
    expect(first.state).toBe('rejected');
    expect(first.error).toBeInstanceOf(KmsClientError);
    expect(first.error).toMatchObject({ Code: 'NotFound.Key', Message: 'gone', RequestId: 'r-1' });
  });

  it('fails a call that waited too long for the socket, and does not send it when the socket opens later', async () => {
    const { transport, latest } = start(1_000);
    const call = track(transport.call('CreateKey', {}));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(call.state).toBe('rejected');
    expect(call.error?.Code).toBe('Client.NotConnected');
    expect(call.error?.Message).toMatch(/CreateKey was not sent/);

    latest().open();
    expect(latest().sent).toEqual([]);
  });

  it('fails the calls in flight when the socket drops, naming the operation, and reconnects', async () => {
    const { transport, sockets, latest, statuses } = start();
    latest().open();
    const inFlight = track(transport.call('ScheduleKeyDeletion', { KeyId: 'k1' }));
    expect(latest().sent).toHaveLength(1);

    latest().drop();
    await flush();
    expect(inFlight.state).toBe('rejected');
    expect(inFlight.error?.Code).toBe('Client.ConnectionLost');
    expect(inFlight.error?.Message).toMatch(/while ScheduleKeyDeletion was running\. It may or may not have completed/);
    expect(statuses.at(-1)).toBe('reconnecting');

    // Made while reconnecting: waits for the new socket instead of failing.
    const waiting = track(transport.call('ListKeys', {}));
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(FIRST_BACKOFF_MS);
    expect(sockets).toHaveLength(2);
    latest().open();
    expect(statuses.at(-1)).toBe('open');
    expect(latest().sent.map((request) => request.op)).toEqual(['ListKeys']);
    expect(waiting.state).toBe('pending');
    latest().receive({ kind: 'result', id: latest().sent[0]?.id ?? -1, output: 'listed' });
    await flush();
    expect(waiting).toEqual({ state: 'resolved', value: 'listed' });
  });

  it('keeps trying a host that refuses the socket, backing off, with the queued call still waiting', async () => {
    const { transport, sockets, latest } = start(60_000);
    const call = track(transport.call('ListKeys', {}));
    latest().drop();
    await vi.advanceTimersByTimeAsync(FIRST_BACKOFF_MS);
    latest().drop();
    // The second attempt waits longer than the first (500 ms and up).
    await vi.advanceTimersByTimeAsync(FIRST_BACKOFF_MS);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(FIRST_BACKOFF_MS);
    expect(sockets).toHaveLength(3);
    expect(call.state).toBe('pending');
    latest().open();
    expect(latest().sent.map((request) => request.op)).toEqual(['ListKeys']);
  });

  it('answers no call twice: a late or repeated answer, or one meant for a call that already failed, is dropped', async () => {
    const { transport, latest } = start();
    latest().open();
    const lost = track(transport.call('CreateKey', {}));
    const lostId = latest().sent[0]?.id;
    latest().drop();
    await vi.advanceTimersByTimeAsync(FIRST_BACKOFF_MS);
    latest().open();

    const next = track(transport.call('ListKeys', {}));
    const nextId = latest().sent[0]?.id;
    expect(nextId).not.toBe(lostId);
    // The answer to the failed call turns up after all: it must not reach the new one.
    latest().receive({ kind: 'result', id: lostId ?? -1, output: 'created after all' });
    await flush();
    expect(lost.state).toBe('rejected');
    expect(next.state).toBe('pending');

    const listed = vi.fn();
    void transport.call('DescribeKey', {}).then(listed);
    const describeId = latest().sent[1]?.id ?? -1;
    latest().receive({ kind: 'result', id: nextId ?? -1, output: 'first' });
    latest().receive({ kind: 'result', id: nextId ?? -1, output: 'second' });
    await flush();
    expect(next).toEqual({ state: 'resolved', value: 'first' });
    expect(listed).not.toHaveBeenCalled();
    latest().receive({ kind: 'result', id: describeId, output: 'described' });
    await flush();
    expect(listed).toHaveBeenCalledExactlyOnceWith('described');
  });

  it('passes progress to its listeners and ignores what is not a message', async () => {
    const { transport, latest } = start();
    latest().open();
    const heard: ProgressEvent[] = [];
    const stop = transport.onProgress((event) => heard.push(event));
    const call = track(transport.call('CreateKey', {}));
    const progress: ProgressEvent = { requestId: 'r', operation: 'CreateKey', fraction: 0.5, message: 'generating' };
    latest().receive('not json');
    latest().receive({ kind: 'progress', id: 1, progress });
    stop();
    latest().receive({ kind: 'progress', id: 1, progress });
    await flush();
    expect(heard).toEqual([progress]);
    expect(call.state).toBe('pending');
  });
});
