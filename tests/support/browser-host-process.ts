import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BROWSER_HOST = path.join(repoRoot, 'electron', 'host', 'browser-host.ts');

export interface HostProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (null after a signal). */
  exited: Promise<number | null>;
  /** SIGTERM to its process group (its HSM workers too), SIGKILL if it lingers. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** The real browser host (`electron/host/browser-host.ts` through tsx), as `npm start` runs it. */
export function spawnBrowserHost(args: readonly string[]): HostProcess {
  return watchHostProcess(['--import', 'tsx', BROWSER_HOST, '--port', '0', '--renderer-dir', path.join(repoRoot, 'out', 'renderer'), ...args]);
}

/** `npm start -- <args>` itself (build/start.mjs: bootstrap, build unless KEYWARD_SKIP_BUILD=1, the host). */
export function spawnNpmStart(args: readonly string[], env: NodeJS.ProcessEnv = {}): HostProcess {
  return watchHostProcess([path.join(repoRoot, 'build', 'start.mjs'), ...args], env);
}

function watchHostProcess(nodeArgs: readonly string[], env: NodeJS.ProcessEnv = {}): HostProcess {
  const child = spawn(process.execPath, nodeArgs, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, ...env },
  });
  let log = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => log,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      const group = (s: NodeJS.Signals): void => {
        try {
          process.kill(-(child.pid ?? 0), s);
        } catch {
          // already gone
        }
      };
      group(signal);
      const late = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 10_000))]);
      if (late) {
        group('SIGKILL');
        await exited;
      }
    },
  };
}

/** Waits until the host prints `KEYWARD_URL=…` and returns that address; rejects if it exits first. */
export async function hostAddress(host: HostProcess, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void host.exited.then(() => (exited = true));
  for (;;) {
    const match = /^KEYWARD_URL=(\S+)$/m.exec(host.output());
    if (match?.[1]) return match[1];
    if (exited) throw new Error(`browser host exited before printing its address:\n${host.output()}`);
    if (Date.now() > deadline) throw new Error(`browser host printed no address within ${timeoutMs} ms:\n${host.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
