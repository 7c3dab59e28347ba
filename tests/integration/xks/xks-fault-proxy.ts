/**
 * A man in the middle for XKS fault tests: an HTTPS server with its own certificate that passes
 * each request to a real XKS proxy unchanged (body and headers, the Host its caller signed
 * included, so the upstream checks the caller's own SigV4 signature), or misbehaves as `fault` says.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, createServer, request as httpsRequest, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { TestTlsIdentity } from './xks-test-tls';

type Json = Record<string, unknown>;

export type Fault =
  | { kind: 'pass' }
  /** Answers with the upstream's answer, `delayMs` late. */
  | { kind: 'slow'; delayMs: number }
  /** Answers this itself, without asking the upstream. */
  | { kind: 'answer'; status: number; body: string }
  /** Announces a 200 JSON body, sends its first bytes, then drops the connection. */
  | { kind: 'cut' }
  /** Forwards the request with one byte more in its body than its caller signed. */
  | { kind: 'alter-request' }
  /** Forwards, then edits a 200 answer to a request whose path ends with `route`. */
  | { kind: 'edit'; route: string; edit: (answer: Json) => Json };

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

export class FaultProxy {
  fault: Fault = { kind: 'pass' };
  /** Requests that reached this proxy, so a test sees that its call really came here. */
  requests = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly upstreamAgent: Agent;
  private port = 0;

  constructor(
    identity: TestTlsIdentity,
    private readonly upstream: { port: number; ca: string },
  ) {
    this.upstreamAgent = new Agent({ ca: upstream.ca, keepAlive: true });
    this.server = createServer({ cert: identity.cert, key: identity.key }, (request, response) => {
      // A caller that gave up mid-request leaves nothing to answer.
      this.serve(request, response).catch(() => response.destroy());
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get endpoint(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Listens (again) on its port, or a free one the first time. */
  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('The fault proxy has no TCP address.');
    this.port = address.port;
  }

  /** Nothing listens any more and every open connection is dropped. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.dropConnections();
    await closed;
  }

  /** Serves another certificate from now on; open connections are dropped so the next call handshakes with it. */
  async useIdentity(identity: TestTlsIdentity): Promise<void> {
    this.server.setSecureContext({ cert: identity.cert, key: identity.key });
    await this.dropConnections();
  }

  async close(): Promise<void> {
    if (this.server.listening) await this.stop();
    this.upstreamAgent.destroy();
  }

  /**
   * Drops every open connection and gives the callers' keep-alive pools time to see it: a call
   * sent on a pooled socket the proxy already closed would meet ECONNRESET, not this proxy's new state.
   */
  private async dropConnections(): Promise<void> {
    const closing = [...this.sockets].map((socket) => new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    }));
    await Promise.all(closing);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.requests += 1;
    const fault = this.fault;
    const body = await readAll(request);
    if (fault.kind === 'answer') return send(response, fault.status, fault.body);
    if (fault.kind === 'cut') {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
      response.write('{"plaintext":"AAAA');
      setTimeout(() => response.socket?.destroy(), 50);
      return;
    }
    let answer: { status: number; body: string };
    try {
      answer = await this.forward(request, fault.kind === 'alter-request' ? Buffer.concat([body, Buffer.from(' ')]) : body);
    } catch {
      return send(response, 502, '');
    }
    if (fault.kind === 'edit' && answer.status === 200 && (request.url ?? '').endsWith(fault.route)) {
      answer = { status: 200, body: JSON.stringify(fault.edit(JSON.parse(answer.body) as Json)) };
    }
    if (fault.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    send(response, answer.status, answer.body);
  }

  private forward(request: IncomingMessage, body: Buffer): Promise<{ status: number; body: string }> {
    const headers = { ...Object.fromEntries(Object.entries(request.headers).filter(([name]) => !HOP_BY_HOP.has(name))), 'content-length': String(body.length) };
    return new Promise((resolve, reject) => {
      const upstream = httpsRequest(
        { hostname: '127.0.0.1', port: this.upstream.port, method: request.method, path: request.url, headers, agent: this.upstreamAgent },
        (answer) => {
          readAll(answer).then((text) => resolve({ status: answer.statusCode ?? 0, body: text.toString('utf8') }), reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** A caller that gave up (the client's deadline) has closed its socket: nothing is written then. */
function send(response: ServerResponse, status: number, body: string): void {
  if (response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
  response.end(body);
}
