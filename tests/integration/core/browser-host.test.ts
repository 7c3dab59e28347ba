import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../electron/main/transports/ws-host';
import type { WireMessage } from '../../../shared/wire';
import { openHostSession } from '../../support/host-session';
import { createTestCore, disposeTestCore, removeDir, type TestCore } from '../../support/test-core';

/** Opens a socket and resolves with it, or rejects with the HTTP status of a refused upgrade. */
function connect(url: string, origin: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { origin, headers });
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
  let sessionsOpened = 0;
  /** `keyward_session=…`, as the launch address set it (in the one-session test). */
  let openedSession = '';
  const sessionCookie = (): Promise<string> => (openedSession ? Promise.resolve(openedSession) : openHostSession(host.launchUrl));
  const rendererDir = mkdtempSync(path.join(tmpdir(), 'keyward-renderer-'));

  beforeAll(async () => {
    mkdirSync(path.join(rendererDir, 'assets'));
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Keyward</title>');
    writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    t = await createTestCore();
    host = await startBrowserHost({ dispatch: t.core.dispatch, rendererDir, port: 0, onSessionOpened: () => (sessionsOpened += 1) });
    const url = new URL(host.url);
    origin = url.origin;
    rpcUrl = `ws://${url.host}/rpc`;
  });
  afterAll(async () => {
    await host.close();
    await disposeTestCore(t);
    removeDir(rendererDir);
  });

  it('prints a plain address and keeps the single-use nonce to the launch address', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(host.launchUrl).toBe(`${origin}/session?nonce=${new URL(host.launchUrl).searchParams.get('nonce') ?? ''}`);
    expect(new URL(host.launchUrl).searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('listens on loopback only and serves the renderer with a CSP, no session needed', async () => {
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

  it('opens one session per launch: the nonce works once, a replay or a wrong one is refused', async () => {
    const nonce = new URL(host.launchUrl).searchParams.get('nonce') ?? '';
    await expect(connect(rpcUrl, origin)).rejects.toThrow('HTTP 403'); // no session yet
    // HEAD and a wrong nonce do not use it up.
    expect((await fetch(host.launchUrl, { method: 'HEAD', redirect: 'manual' })).status).toBe(403);
    const wrong = await fetch(`${origin}/session?nonce=${nonce.slice(0, -1)}${nonce.endsWith('A') ? 'B' : 'A'}`, { redirect: 'manual' });
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const first = await fetch(host.launchUrl, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const setCookie = first.headers.get('set-cookie') ?? '';
    openedSession = setCookie.split(';')[0] ?? '';
    expect(setCookie).toMatch(/^keyward_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
    expect(setCookie).not.toContain(nonce);
    expect(sessionsOpened).toBe(1);

    const replay = await fetch(host.launchUrl, { redirect: 'manual' });
    expect(replay.status).toBe(403);
    expect(replay.headers.get('set-cookie')).toBeNull();
    expect(await replay.text()).toContain('already used');
    expect(sessionsOpened).toBe(1);
  });

  it('admits a socket only with the session cookie, the host’s Origin and its Host', async () => {
    const session = await sessionCookie();
    const good = await connect(rpcUrl, origin, { Cookie: session });
    good.close();
    // Another cookie on the same loopback host (another service) next to ours does not disturb it.
    (await connect(rpcUrl, origin, { Cookie: `keyward_session=forged; ${session}` })).close();
    await expect(connect(rpcUrl, origin, { Cookie: 'keyward_session=forged' })).rejects.toThrow('HTTP 403');
    await expect(connect(rpcUrl, origin, { Cookie: `${session}x` })).rejects.toThrow('HTTP 403');
    await expect(connect(rpcUrl, 'http://evil.example', { Cookie: session })).rejects.toThrow('HTTP 403');
    await expect(connect(rpcUrl, origin, { Cookie: session, Host: 'evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect(rpcUrl.replace('/rpc', '/other'), origin, { Cookie: session })).rejects.toThrow('HTTP 403');
  });

  it('serves operations, pipelined, and answers malformed frames with typed errors', async () => {
    const socket = await connect(rpcUrl, origin, { Cookie: await sessionCookie() });
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
