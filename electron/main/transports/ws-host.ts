import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_REQUEST_BYTES } from '../../../shared/contract';
import type { WireMessage } from '../../../shared/wire';
import type { Dispatch } from './dispatcher';
import { createHostSession, SESSION_PATH, sessionSetCookie, type HostSession } from './host-session';
import { DEFAULT_MAX_UPLOAD_BYTES, FILES_PATH, receiveUpload, sendDownload, type HostFiles } from './host-files';
import { readStaticFile } from './static-files';

export interface BrowserHostOptions {
  dispatch: Dispatch;
  /** Built renderer (index.html and assets). */
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Told once, when the launch address has been used to open this launch's browser session. */
  onSessionOpened?: () => void;
  /** Backup files: uploads (`POST /files`) and one-time downloads (`GET /files/<BackupId>`); absent, both answer 404. */
  files?: HostFiles;
  /** Largest upload accepted (413 beyond); default 4 GiB. */
  maxUploadBytes?: number;
}

export interface BrowserHost {
  /** `http://127.0.0.1:PORT/`: safe to show, it opens no session by itself. */
  url: string;
  /** `http://127.0.0.1:PORT/session?nonce=…`: opens this launch's one session, once. Keep it private. */
  launchUrl: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

const BASE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/**
 * The browser host: the built renderer and the operation catalogue on one loopback origin.
 * The WebSocket needs this launch's session cookie (see host-session.ts) and the host's own Origin
 * and Host, so neither another local user, another local page nor a DNS-rebinding site can call
 * operations. Static files hold no secret and need no session.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const session = createHostSession();
  const server = createServer();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES + 1024 });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const allowedHosts = new Set([`${LOOPBACK}:${port}`, `localhost:${port}`]);
  const allowedOrigins = new Set([...allowedHosts].map((host) => `http://${host}`));
  const contentSecurityPolicy = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ws://${LOOPBACK}:${port} ws://localhost:${port}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

  server.on('request', (request, response) => {
    const url = requestUrl(request.url);
    if (!url) {
      response.writeHead(400, BASE_HEADERS).end();
      return;
    }
    if (allowedHosts.has(request.headers.host ?? '') && isFilesPath(url.pathname)) {
      serveFiles(request, response, url.pathname, {
        files: options.files,
        maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
        // The WebSocket's rule: this launch's session, and the host's own page (Origin) when the browser says which.
        admitted: (originRequired) => session.admits(request.headers.cookie) && originAllowed(request.headers.origin, allowedOrigins, originRequired),
      });
      return;
    }
    if (!allowedHosts.has(request.headers.host ?? '') || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(403, BASE_HEADERS).end();
      return;
    }
    if (url.pathname === SESSION_PATH) {
      openSession(request, response, url, session, options.onSessionOpened);
      return;
    }
    void serveStatic(request, response, url.pathname, options.rendererDir, contentSecurityPolicy);
  });

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', `http://${LOOPBACK}`);
    const authorized =
      url.pathname === '/rpc' &&
      allowedHosts.has(request.headers.host ?? '') &&
      allowedOrigins.has(request.headers.origin ?? '') &&
      session.admits(request.headers.cookie);
    if (!authorized) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, socket, options.dispatch));
  });

  return {
    url: `http://${LOOPBACK}:${port}/`,
    launchUrl: `http://${LOOPBACK}:${port}${session.launchPath}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The request target, or null for one no URL parser accepts (a throw here would end the host). */
function requestUrl(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://local');
  } catch {
    return null;
  }
}

function isFilesPath(pathname: string): boolean {
  return pathname === FILES_PATH || pathname.startsWith(`${FILES_PATH}/`);
}

/**
 * An upload must name the host's own page as its Origin (browsers send one with every POST); a
 * download is a plain navigation that may carry none, but a foreign one is refused all the same.
 */
function originAllowed(origin: string | undefined, allowed: ReadonlySet<string>, required: boolean): boolean {
  if (origin === undefined) return !required;
  return allowed.has(origin);
}

interface FilesRoute {
  files: HostFiles | undefined;
  maxUploadBytes: number;
  admitted: (originRequired: boolean) => boolean;
}

/** `POST /files` and `GET /files/<BackupId>`; every other method there is refused like elsewhere. */
function serveFiles(request: IncomingMessage, response: ServerResponse, pathname: string, route: FilesRoute): void {
  const upload = request.method === 'POST' && pathname === FILES_PATH;
  const download = request.method === 'GET' && pathname.startsWith(`${FILES_PATH}/`);
  if ((!upload && !download) || !route.admitted(upload)) {
    response.writeHead(403, BASE_HEADERS).end();
    return;
  }
  if (!route.files) {
    response.writeHead(404, { ...BASE_HEADERS, 'Content-Type': 'text/plain' }).end('Not found');
    return;
  }
  if (upload) receiveUpload(request, response, route.files, route.maxUploadBytes, BASE_HEADERS);
  else sendDownload(response, pathname.slice(FILES_PATH.length + 1), route.files, BASE_HEADERS);
}

/**
 * `GET /session?nonce=N`: the first request with the right nonce gets the session cookie and a
 * 303 to the console; every later one (a replayed or guessed address) gets a plain refusal, and the
 * session already opened stays the only one.
 */
function openSession(request: IncomingMessage, response: ServerResponse, url: URL, session: HostSession, onOpened?: () => void): void {
  const secret = request.method === 'GET' ? session.redeem(url.searchParams.get('nonce') ?? '') : null;
  if (secret === null) {
    response
      .writeHead(403, { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' })
      .end('This launch link was already used (or is not this launch\'s); restart Keyward to open the console.\n');
    return;
  }
  response.writeHead(303, { ...BASE_HEADERS, Location: '/', 'Set-Cookie': sessionSetCookie(secret) }).end();
  onOpened?.();
}

async function serveStatic(
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
  rendererDir: string,
  contentSecurityPolicy: string,
): Promise<void> {
  const file = await readStaticFile(rendererDir, pathname);
  if (!file) {
    response.writeHead(404, { ...BASE_HEADERS, 'Content-Type': 'text/plain' }).end('Not found');
    return;
  }
  response.writeHead(200, {
    ...BASE_HEADERS,
    'Content-Type': file.contentType,
    'Content-Security-Policy': contentSecurityPolicy,
  });
  response.end(request.method === 'HEAD' ? undefined : file.body);
}

function serveSocket(ws: WebSocket, socket: Duplex, dispatch: Dispatch): void {
  // Answers finished in one event-loop turn leave in one write: a pipelining client (64 requests
  // in flight) otherwise costs a writev system call per answer, a tenth of the host's time.
  let corked = false;
  const flush = (): void => {
    corked = false;
    socket.uncork();
  };
  const send = (message: WireMessage): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (!corked) {
      corked = true;
      socket.cork();
      setImmediate(flush);
    }
    ws.send(JSON.stringify(message));
  };
  // A protocol violation (e.g. a frame over maxPayload) is emitted as 'error' and ws closes the
  // socket itself (1009, 1002...); without a listener it would be an uncaught exception that ends
  // the whole host.
  ws.on('error', () => undefined);
  ws.on('message', (data, isBinary) => {
    const request = parseRequest(isBinary ? null : data.toString());
    if (!request) {
      send({
        kind: 'error',
        id: -1,
        error: { Code: 'InvalidParameter', Message: 'A request is JSON {id, op, input}.', RequestId: '' },
      });
      return;
    }
    // Requests are served concurrently, so a client may pipeline; answers carry the request id.
    void dispatch(request.op, request.input, {
      transport: 'ws',
      onProgress: (progress) => send({ kind: 'progress', id: request.id, progress }),
    }).then((outcome) => {
      send(outcome.ok ? { kind: 'result', id: request.id, output: outcome.output } : { kind: 'error', id: request.id, error: outcome.error });
    });
  });
}

function parseRequest(text: string | null): { id: number; op: unknown; input: unknown } | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  if (typeof record.id !== 'number' || !Number.isSafeInteger(record.id)) return null;
  return { id: record.id, op: record.op, input: record.input };
}
