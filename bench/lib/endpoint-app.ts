/** The parent's handle on the application process of P6 and P7 (endpoint-app-process.ts). */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type AppCommand =
  | ({ kind: 'connect' } & EndpointAppConnection)
  | { kind: 'round'; path: string; body: string; ms: number; lanes: number };

export type AppReply =
  | { kind: 'connected' }
  | ({ kind: 'round' } & AppRound)
  | { kind: 'failed'; message: string };

export interface EndpointAppConnection {
  port: number;
  lanes: number;
  pkcs12Base64: string;
  passphrase: string;
  caCertificate: string;
  sigv4?: SigV4Signing;
}

/** A SigV4 credential the application signs every request with, in its own process (never logged). */
export interface SigV4Signing {
  accessKeyId: string;
  secretAccessKey: string;
  service: string;
  region: string;
}

/**
 * A round's throughput, each call's latency, the application process's CPU time, the part of it
 * spent signing (0 without SigV4) and new TLS connections.
 */
export interface AppRound {
  opsPerSecond: number;
  latenciesMs: number[];
  cpuMs: number;
  signingMs: number;
  connectionsOpened: number;
}

export interface EndpointApp {
  /** `lanes` clients send `body` to `path` one request after another for about `ms` milliseconds. */
  round(requestPath: string, body: string, ms: number): Promise<AppRound>;
  close(): Promise<void>;
}

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'endpoint-app-process.ts');

export async function startEndpointApp(connection: EndpointAppConnection): Promise<EndpointApp> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = fork(ENTRY, [], { execArgv: ['--import', tsx], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (command: AppCommand): Promise<AppReply> => exchange(child, command);
  const connected = await ask({ kind: 'connect', ...connection });
  if (connected.kind !== 'connected') throw new Error(`the application process did not connect: ${JSON.stringify(connected)}`);
  return {
    async round(requestPath, body, ms) {
      const reply = await ask({ kind: 'round', path: requestPath, body, ms, lanes: connection.lanes });
      if (reply.kind !== 'round') throw new Error(`application round failed: ${reply.kind === 'failed' ? reply.message : reply.kind}`);
      return reply;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      await exited;
    },
  };
}

/** One command, one reply: the parent never has two commands outstanding. */
function exchange(child: ChildProcess, command: AppCommand): Promise<AppReply> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`the application process exited (${code ?? 'signal'})`));
    child.once('exit', onExit);
    child.once('message', (reply: AppReply) => {
      child.off('exit', onExit);
      resolve(reply);
    });
    child.send(command);
  });
}
