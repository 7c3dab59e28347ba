/**
 * The application of benchmarks P6 and P7, in a process of its own as a real application would be:
 * one HTTPS agent keeping `lanes` mutual-TLS connections alive to the application endpoint, each
 * lane sending JSON requests one after another (P7: each signed with SigV4 first, timed apart).
 * Driven by its parent over IPC, which is also how the PKCS#12, its password and the SigV4 secret
 * arrive (never argv or the environment, which process lists show).
 */
import { Agent, request } from 'node:https';
import type { Socket } from 'node:net';
import type { AppCommand, AppReply } from './endpoint-app';
import { sigv4Signer, type RequestSigner } from './sigv4-request';
import { timedLanes } from './stats';

let agent: Agent | null = null;
let port = 0;
let signer: RequestSigner | null = null;
/** Milliseconds spent signing since the process started. */
let signingMs = 0;
/** Sockets seen and still open, and how many were opened: keep-alive should open `lanes` in all. */
const liveSockets = new Set<Socket>();
let socketsOpened = 0;

function send(reply: AppReply): void {
  process.send?.(reply);
}

async function headersFor(path: string, body: string): Promise<Record<string, string>> {
  if (!signer) return { 'Content-Type': 'application/json' };
  const started = performance.now();
  const headers = await signer(port, path, body);
  signingMs += performance.now() - started;
  return headers;
}

async function post(path: string, body: string): Promise<void> {
  const headers = await headersFor(path, body);
  return new Promise((resolve, reject) => {
    const call = request({ host: '127.0.0.1', port, path, method: 'POST', agent: agent ?? undefined, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        // A refused call would make the figures meaningless: the round stops at the first one.
        if (response.statusCode === 200) resolve();
        else reject(new Error(`${path} answered ${response.statusCode ?? 0}: ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`));
      });
      response.on('error', reject);
    });
    call.on('error', reject);
    call.once('socket', countSocket);
    call.end(body);
  });
}

function countSocket(socket: Socket): void {
  if (liveSockets.has(socket)) return;
  liveSockets.add(socket);
  socketsOpened += 1;
  socket.once('close', () => liveSockets.delete(socket));
}

async function handle(command: AppCommand): Promise<AppReply> {
  if (command.kind === 'connect') {
    port = command.port;
    agent = new Agent({ keepAlive: true, maxSockets: command.lanes, pfx: Buffer.from(command.pkcs12Base64, 'base64'), passphrase: command.passphrase, ca: command.caCertificate });
    signer = command.sigv4 ? sigv4Signer(command.sigv4) : null;
    return { kind: 'connected' };
  }
  const cpuBefore = process.cpuUsage();
  const openedBefore = socketsOpened;
  const signingBefore = signingMs;
  const measured = await timedLanes(command.ms, command.lanes, () => post(command.path, command.body));
  const cpu = process.cpuUsage(cpuBefore);
  return {
    kind: 'round',
    opsPerSecond: measured.opsPerSecond,
    latenciesMs: measured.latenciesMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    signingMs: signingMs - signingBefore,
    connectionsOpened: socketsOpened - openedBefore,
  };
}

process.on('message', (message: AppCommand) => {
  handle(message).then(send, (error: unknown) => send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }));
});
process.on('disconnect', () => {
  agent?.destroy();
  process.exit(0);
});
