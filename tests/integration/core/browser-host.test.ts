import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../electron/main/transports/ws-host';
import type { WireMessage } from '../../../shared/wire';
import { createTestCore, removeDir, type TestCore } from '../../support/test-core';

/** Opens a socket and resolves with it, or rejects with the HTTP status of a refused upgrade. */
function connect(url: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { origin });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
}

function nextMessage(socket: WebSocket, id: number): Promise<WireMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const message = JSON.parse(data.toString()) as WireMessage;
      if (message.id === id && message.kind !== 'progress') {
        socket.off('message', onMessage);
        resolve(message);
      }
    };
    socket.on('message', onMessage);
  });
}

describe('browser host (loopback WebSocket + static renderer)', () => {
  let t: TestCore;
  let host: BrowserHost;
  let rpcUrl = '';
  let origin = '';
  const rendererDir = mkdtempSync(path.join(tmpdir(), 'keyward-renderer-'));

  beforeAll(async () => {
    mkdirSync(path.join(rendererDir, 'assets'));
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Keyward</title>');
    writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    t = await createTestCore();
    host = await startBrowserHost({ dispatch: t.core.dispatch, rendererDir, port: 0 });
    const url = new URL(host.url);
    origin = url.origin;
    rpcUrl = `ws://${url.host}/rpc?token=${url.searchParams.get('token') ?? ''}`;
  });
  afterAll(async () => {
    await host.close();
    await t.close();
    removeDir(t.dataDir);
    removeDir(rendererDir);
  });

  it('listens on loopback only and serves the renderer with a CSP', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    const response = await fetch(`${origin}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(`${origin}/assets/app.js`)).headers.get('content-type')).toContain('javascript');
  });

  it('does not serve files outside the renderer directory', async () => {
    for (const probe of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fetc%2fpasswd']) {
      expect((await fetch(`${origin}${probe}`)).status).toBe(404);
    }
  });

  it('refuses sockets without the token or from another origin', async () => {
    await expect(connect(rpcUrl.replace(/token=[^&]+/, 'token=wrong'), origin)).rejects.toThrow('HTTP 403');
    await expect(connect(rpcUrl, 'http://evil.example')).rejects.toThrow('HTTP 403');
  });

  it('serves operations, pipelined, and answers malformed frames with typed errors', async () => {
    const socket = await connect(rpcUrl, origin);
    const first = nextMessage(socket, 1);
    const second = nextMessage(socket, 2);
    const third = nextMessage(socket, 3);
    socket.send(JSON.stringify({ id: 1, op: 'DescribeKeyStores', input: {} }));
    socket.send(JSON.stringify({ id: 2, op: 'ListKeys', input: { PageSize: 'ten' } }));
    socket.send(JSON.stringify({ id: 3, op: 'NoSuchOperation', input: {} }));
    expect(await first).toMatchObject({ kind: 'result', output: { KeyStores: [{ KeyStoreId: 'kst-default' }] } });
    expect(await second).toMatchObject({ kind: 'error', error: { Code: 'InvalidParameter' } });
    expect(await third).toMatchObject({ kind: 'error', error: { Code: 'InvalidAction' } });

    const malformed = nextMessage(socket, -1);
    socket.send('{not json');
    expect(await malformed).toMatchObject({ kind: 'error', error: { Code: 'InvalidParameter' } });

    const still = nextMessage(socket, 4);
    socket.send(JSON.stringify({ id: 4, op: 'ListModules', input: {} }));
    expect(await still).toMatchObject({ kind: 'result' });
    socket.close();
  });
});
