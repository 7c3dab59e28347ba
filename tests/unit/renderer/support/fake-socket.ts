import type { WireMessage, WireRequest } from '../../../../shared/wire';
import type { WsSocket } from '../../../../renderer/src/api/ws-transport';

type Listener = (event: { data: unknown }) => void;

/** A WebSocket the test drives: it opens, answers and drops when told, and records what was sent. */
export class FakeSocket implements WsSocket {
  readyState = 0;
  readonly sent: WireRequest[] = [];
  private readonly listeners = new Map<string, Listener[]>();

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('FakeSocket: send on a socket that is not open');
    this.sent.push(JSON.parse(data) as WireRequest);
  }

  addEventListener(type: 'open' | 'close' | 'message', listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  open(): void {
    this.readyState = 1;
    this.emit('open', undefined);
  }

  /** The host went away (or refused the socket before it opened). */
  drop(): void {
    this.readyState = 3;
    this.emit('close', undefined);
  }

  receive(message: WireMessage | string): void {
    this.emit('message', typeof message === 'string' ? message : JSON.stringify(message));
  }

  private emit(type: string, data: unknown): void {
    for (const listener of this.listeners.get(type) ?? []) listener({ data });
  }
}

/** The `openSocket` option for createWsTransport, keeping every socket it opened, latest last. */
export function socketFactory() {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    openSocket: (url: string): FakeSocket => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    latest(): FakeSocket {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('no socket opened yet');
      return socket;
    },
  };
}
