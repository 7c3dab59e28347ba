/**
 * A real network HSM for tests: a `p11-kit server` serving one SoftHSM2 token (its own token dir)
 * over a unix socket, and the ModuleSpec of p11-kit-client.so that reaches it. The server can be
 * killed (SIGKILL, as a crash or a network loss) and started again on the same socket, so suites
 * can take members away and bring them back at any point.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ModuleSpec } from '../../electron/main/hsm/types';
import { createSoftHsmFixture, initializeTokenWithUtil, SOFTHSM_MODULE_PATH, type SoftHsmFixture } from './softhsm';

export const P11KIT_CLIENT_PATH = process.env.KEYWARD_P11KIT_CLIENT ?? '/usr/lib/x86_64-linux-gnu/pkcs11/p11-kit-client.so';

export interface P11KitServerOptions {
  /** Token label; the server serves `pkcs11:token=<label>`. At most 32 characters. */
  label: string;
  /** SO PIN the token is initialized with (the HSM vendor's initial SO PIN). */
  soPin: string;
}

export interface P11KitServer {
  label: string;
  serial: string;
  socketPath: string;
  softhsm: SoftHsmFixture;
  /** The client module spec: p11-kit-client.so with P11_KIT_SERVER_ADDRESS. */
  clientSpec: ModuleSpec;
  /** The environment a RegisterModule call passes for this server. */
  clientEnvironment: Record<string, string>;
  readonly running: boolean;
  /** Starts the server (again) on the same socket; resolves when the socket accepts connections. */
  start(): Promise<void>;
  /** SIGKILL: the clients see the connection drop mid-flight, as with a crashed or unplugged HSM. */
  kill(): Promise<void>;
  /** SIGSTOP: the server (and its connection children) hang, as a network partition that drops packets. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** Kills the server and removes its token dir. */
  cleanup(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;

async function waitFor(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function startP11KitServer(options: P11KitServerOptions): Promise<P11KitServer> {
  const softhsm = await createSoftHsmFixture('keyward-p11kit-');
  const serial = initializeTokenWithUtil(softhsm, options.label, options.soPin);
  const socketPath = path.join(softhsm.dir, 'p11kit.sock');
  const clientEnvironment = { P11_KIT_SERVER_ADDRESS: `unix:path=${socketPath}` };
  let child: ChildProcess | null = null;

  const server: P11KitServer = {
    label: options.label,
    serial,
    socketPath,
    softhsm,
    clientSpec: { path: P11KIT_CLIENT_PATH, env: clientEnvironment },
    clientEnvironment,
    get running() {
      return child !== null && child.exitCode === null && child.signalCode === null;
    },
    async start() {
      if (server.running) return;
      rmSync(socketPath, { force: true });
      const started = spawn(
        'p11-kit',
        ['server', '-f', '-n', socketPath, '--provider', SOFTHSM_MODULE_PATH, `pkcs11:token=${encodeURIComponent(options.label)}`],
        {
          env: { ...process.env, SOFTHSM2_CONF: softhsm.confPath, XDG_RUNTIME_DIR: softhsm.dir },
          stdio: ['ignore', 'ignore', 'pipe'],
          // Its own process group: the server forks one child per client connection, and a kill
          // must take those down too, or connected clients would never notice.
          detached: true,
        },
      );
      let stderr = '';
      started.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child = started;
      await waitFor(() => existsSync(socketPath) || started.exitCode !== null, 'the p11-kit server socket');
      if (started.exitCode !== null) throw new Error(`p11-kit server exited: ${stderr}`);
    },
    async kill() {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      if (running.pid !== undefined) process.kill(-running.pid, 'SIGKILL');
      await exited;
      rmSync(socketPath, { force: true });
    },
    pause() {
      if (child?.pid !== undefined && server.running) process.kill(-child.pid, 'SIGSTOP');
    },
    resume() {
      if (child?.pid !== undefined && server.running) process.kill(-child.pid, 'SIGCONT');
    },
    async cleanup() {
      server.resume();
      await server.kill();
      await softhsm.cleanup();
    },
  };
  await server.start();
  return server;
}
