/** A pipelining WebSocket client of the browser host, as the renderer's api client uses it. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { Dispatch } from '../../electron/main/transports/dispatcher';
import { startBrowserHost, type BrowserHost } from '../../electron/main/transports/ws-host';
import type { WireMessage } from '../../shared/wire';
import { hostSocket, openHostSession } from '../../tests/support/host-session';

export interface WsClient {
  call(op: string, input: unknown): Promise<WireMessage>;
  close(): Promise<void>;
}

/** Starts a browser host over `dispatch` (with a stub renderer) and connects one socket to it. */
export async function connectWsHost(dispatch: Dispatch, rendererDir?: string): Promise<WsClient & { host: BrowserHost }> {
  const stubDir = rendererDir ?? mkdtempSync(path.join(tmpdir(), 'keyward-bench-renderer-'));
  if (!rendererDir) {
    mkdirSync(path.join(stubDir, 'assets'), { recursive: true });
    writeFileSync(path.join(stubDir, 'index.html'), '<!doctype html><title>Keyward</title>');
  }
  const host = await startBrowserHost({ dispatch, rendererDir: stubDir, port: 0 });
  const socket = hostSocket(host.url, await openHostSession(host.launchUrl));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const pending = new Map<number, (message: WireMessage) => void>();
  socket.on('message', (data: WebSocket.RawData) => {
    const message = JSON.parse(data.toString()) as WireMessage;
    if (message.kind === 'progress') return;
    const resolve = pending.get(message.id);
    if (resolve) {
      pending.delete(message.id);
      resolve(message);
    }
  });
  let nextId = 1;
  return {
    host,
    call(op, input) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, op, input }));
      });
    },
    async close() {
      socket.close();
      await host.close();
      if (!rendererDir) rmSync(stubDir, { recursive: true, force: true });
    },
  };
}
