import type { KeyObject } from 'node:crypto';
import type { XksProxyGate } from '../xks/xks-proxy-gate';
import type { ApplicationGate } from './application-gate';

/** What the HTTPS server needs to listen: its TLS identity (in memory only) and the gate every call passes. */
export interface EndpointListenOptions {
  address: string;
  /** 0 picks a free port. */
  port: number;
  certificatePem: string;
  privateKey: KeyObject;
  /** The instance CA: the only issuer whose client certificates the TLS handshake accepts. */
  caCertificatePem: string;
  gate: ApplicationGate;
  /** The XKS proxies served under their URI paths (SigV4 with their own credentials). */
  xks: XksProxyGate;
}

/**
 * The seam between the endpoint service and the HTTPS server, which lives in transports/ (a layer
 * above services): the composition root hands the server to the service through this interface.
 */
export interface EndpointController {
  /** Listens; resolves with the bound port. Rejects with EADDRINUSE/EADDRNOTAVAIL like `net`. */
  listen(options: EndpointListenOptions): Promise<{ port: number }>;
  /** Serves new connections with this identity (open connections keep theirs). */
  renewIdentity(identity: { certificatePem: string; privateKey: KeyObject; caCertificatePem: string }): void;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}
