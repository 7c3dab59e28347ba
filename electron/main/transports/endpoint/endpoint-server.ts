import type { KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { SecureContextOptions, TLSSocket } from 'node:tls';
import type { EndpointController, EndpointListenOptions } from '../../services/endpoint/endpoint-controller';
import type { Dispatch } from '../dispatcher';
import { newRequestId } from '../../services/endpoint/application-gate';
import { isXksPath } from '../../services/xks/xks-paths';
import { handleApplicationRequest, unmappedAddress } from './application-request';
import { handleXksRequest } from './xks-request';

/** Slow clients are bounded: a TLS handshake, the request headers and a whole request each have a deadline. */
export const ENDPOINT_TIMEOUTS = {
  handshakeMs: 10_000,
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 30_000,
  idleSocketMs: 60_000,
} as const;
const MAX_HEADER_BYTES = 16 * 1024;

export interface EndpointServerDeps {
  /** The core's dispatcher (late-bound: the core makes it after the services that start this server). */
  dispatch: Dispatch;
  now: () => Date;
}

/**
 * The application endpoint's HTTPS server, TLS 1.2 or newer. A client certificate is asked for and,
 * when presented, must verify against the instance CA; a connection without one stays open because
 * XKS callers may authenticate by SigV4 alone (application calls are refused per request instead).
 */
export class EndpointServer implements EndpointController {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly deps: EndpointServerDeps) {}

  async listen(options: EndpointListenOptions): Promise<{ port: number }> {
    if (this.server) throw new Error('the endpoint server is already listening');
    const server = createServer(
      {
        ...tlsIdentity(options),
        requestCert: true,
        // Not rejected by OpenSSL so that no certificate at all gets through; one that does not verify is refused below.
        rejectUnauthorized: false,
        handshakeTimeout: ENDPOINT_TIMEOUTS.handshakeMs,
        headersTimeout: ENDPOINT_TIMEOUTS.headersMs,
        requestTimeout: ENDPOINT_TIMEOUTS.requestMs,
        keepAliveTimeout: ENDPOINT_TIMEOUTS.keepAliveMs,
        maxHeaderSize: MAX_HEADER_BYTES,
        // Node enforces the header and request deadlines only at this interval (30 s by default).
        connectionsCheckingInterval: 1_000,
      },
      (request, response) => {
        // Paths in the XKS API's shape are XKS calls (answered in its error format even when no proxy serves them).
        const handled = isXksPath((request.url ?? '').split('?', 1)[0] ?? '')
          ? handleXksRequest({ gate: options.gate, xks: options.xks, now: this.deps.now }, request, response)
          : handleApplicationRequest({ dispatch: this.deps.dispatch, gate: options.gate, now: this.deps.now }, request, response);
        handled.catch((error: unknown) => {
          // Only a broken response gets here (every refusal is answered inside): drop that connection.
          console.error(`[keyward] application endpoint: ${error instanceof Error ? error.name : typeof error}`);
          response.destroy();
        });
      },
    );
    server.setTimeout(ENDPOINT_TIMEOUTS.idleSocketMs, (socket: Socket) => socket.destroy());
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    const refuseHandshake = (socket: Socket, reason: string): void => {
      options.gate.record({
        client: null,
        sourceAddress: unmappedAddress(socket.remoteAddress),
        operation: 'TlsHandshake',
        resource: '',
        protocol: 'tls',
        errorCode: 'Unauthenticated.ClientCertificate',
        requestId: newRequestId(),
        reason,
      });
      socket.destroy();
    };
    // A failed handshake (truncated TLS, no shared version or cipher) ends that connection only, and
    // is an application call refused like any other.
    server.on('tlsClientError', (error: NodeJS.ErrnoException, socket) => {
      refuseHandshake(socket, typeof error.code === 'string' ? error.code : 'TLS handshake failed');
    });
    // A presented certificate that does not verify (another CA, expired, not yet valid) is refused as
    // the handshake ends: destroyed in this same event, no request on that connection is ever parsed.
    server.on('secureConnection', (socket: TLSSocket) => {
      if (socket.authorized || !socket.getPeerCertificate().raw) return;
      refuseHandshake(socket, authorizationErrorOf(socket));
    });
    server.on('clientError', (_error, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.address, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => console.error(`[keyward] application endpoint: ${error.message}`));
    this.server = server;
    const address = server.address();
    return { port: typeof address === 'object' && address ? address.port : options.port };
  }

  renewIdentity(identity: { certificatePem: string; privateKey: KeyObject; caCertificatePem: string }): void {
    if (!this.server) throw new Error('the endpoint server is not listening');
    this.server.setSecureContext(tlsIdentity(identity));
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }
}

/** OpenSSL's verification error code (Node gives it as a string, though typed as an Error). */
function authorizationErrorOf(socket: TLSSocket): string {
  const error: unknown = socket.authorizationError;
  if (typeof error === 'string') return error;
  return error instanceof Error ? error.message : 'client certificate not verified';
}

/** The TLS context options that change with the server's identity (given again whole on renewal). */
function tlsIdentity(identity: { certificatePem: string; privateKey: KeyObject; caCertificatePem: string }): SecureContextOptions {
  return {
    // Exported to PEM in memory only: TLS takes no KeyObject; it is never written anywhere.
    key: identity.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    cert: identity.certificatePem,
    ca: [identity.caCertificatePem],
    minVersion: 'TLSv1.2',
  };
}
