import type { ProgressEvent, WireMessage, WireRequest } from '../../../shared/wire';
import { backoffDelay } from '../lib/backoff';
import { KmsClientError } from './errors';
import type { ConnectionStatus, Transport } from './transport';

interface Call {
  operation: string;
  resolve(output: unknown): void;
  reject(error: KmsClientError): void;
}

interface QueuedCall extends Call {
  request: WireRequest;
  timer: ReturnType<typeof setTimeout>;
}

/** What the transport uses of a browser WebSocket: the seam its unit tests fill with a fake socket. */
export interface WsSocket {
  readonly readyState: number;
  send(data: string): void;
  addEventListener(type: 'open' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** WebSocket.OPEN, spelled out so the transport needs no WebSocket global outside the browser. */
const SOCKET_OPEN = 1;

export interface WsTransportOptions {
  url: string;
  /** How long a call waits for the socket to (re)open before failing. */
  connectWaitMs?: number;
  /** Opens a socket to `url`; a browser WebSocket unless a test passes its own. */
  openSocket?: (url: string) => WsSocket;
}

/**
 * The browser host's WebSocket (`shared/wire.ts`). Calls made while the socket is (re)connecting wait
 * for it; calls already sent when it drops fail at once: the host may or may not have run them, and a
 * key ceremony must not silently repeat a state change.
 */
export function createWsTransport(options: WsTransportOptions): Transport {
  const connectWaitMs = options.connectWaitMs ?? 15_000;
  const openSocket = options.openSocket ?? ((url: string): WsSocket => new WebSocket(url));
  const sent = new Map<number, Call>();
  const queued = new Map<number, QueuedCall>();
  const progressListeners = new Set<(event: ProgressEvent) => void>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let socket: WsSocket | null = null;
  let status: ConnectionStatus = 'connecting';
  let attempt = 0;
  let nextId = 1;

  function setStatus(next: ConnectionStatus): void {
    status = next;
    for (const listener of statusListeners) listener(next);
  }

  function connect(): void {
    const ws = openSocket(options.url);
    socket = ws;
    ws.addEventListener('open', () => {
      attempt = 0;
      setStatus('open');
      for (const [id, call] of queued) {
        clearTimeout(call.timer);
        queued.delete(id);
        send(ws, call.request, call);
      }
    });
    ws.addEventListener('message', (event) => onMessage(event.data));
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      failSent();
      setStatus('reconnecting');
      setTimeout(connect, backoffDelay(attempt++));
    });
  }

  function send(ws: WsSocket, request: WireRequest, call: Call): void {
    sent.set(request.id, call);
    ws.send(JSON.stringify(request));
  }

  function failSent(): void {
    for (const [id, call] of sent) {
      sent.delete(id);
      call.reject(
        new KmsClientError(
          'Client.ConnectionLost',
          `The connection to the Keyward host dropped while ${call.operation} was running. It may or may not have completed: check before retrying.`,
        ),
      );
    }
  }

  function onMessage(data: unknown): void {
    let message: WireMessage;
    try {
      message = JSON.parse(String(data)) as WireMessage;
    } catch {
      return;
    }
    if (message.kind === 'progress') {
      for (const listener of progressListeners) listener(message.progress);
      return;
    }
    const call = sent.get(message.id);
    if (!call) return;
    sent.delete(message.id);
    if (message.kind === 'result') call.resolve(message.output);
    else call.reject(KmsClientError.fromUnknown(message.error));
  }

  connect();

  return {
    kind: 'ws',
    call(operation, input) {
      return new Promise((resolve, reject) => {
        const request: WireRequest = { id: nextId++, op: operation, input };
        const call: Call = { operation, resolve, reject };
        if (socket && socket.readyState === SOCKET_OPEN) {
          send(socket, request, call);
          return;
        }
        const timer = setTimeout(() => {
          queued.delete(request.id);
          reject(
            new KmsClientError(
              'Client.NotConnected',
              // The browser cannot tell a stopped host from a refused socket (no session in this window).
              `Cannot reach the Keyward host (${operation} was not sent). Check that the host process is still running and that this window is the one Keyward opened (its launch link works once), then retry.`,
            ),
          );
        }, connectWaitMs);
        queued.set(request.id, { ...call, request, timer });
      });
    },
    onProgress(listener) {
      progressListeners.add(listener);
      return () => progressListeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => statusListeners.delete(listener);
    },
  };
}
