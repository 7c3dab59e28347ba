import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { KilledRun } from './kill-driver';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** When to kill: `delayMs` after the first stdout line starting with `line`, or after `when()` first holds (polled every 2 ms). */
export interface KillPoint {
  line?: string;
  when?: () => boolean;
  delayMs: number;
}

/**
 * Runs a TypeScript driver in its own Node process and SIGKILLs it at `point`, or after 60 s
 * whatever happens. `killedAfter` is the last complete line the driver printed before the kill.
 */
export function runDriverAndKillAt(driver: string, args: readonly string[], point: KillPoint, env: NodeJS.ProcessEnv): Promise<KilledRun & { killedAfter: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, driver, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    let killedAfter = '';
    let armed = false;
    const kill = (): void => {
      if (armed) return;
      armed = true;
      setTimeout(() => {
        killedAfter = stdout.split('\n').slice(0, -1).at(-1) ?? '';
        child.kill('SIGKILL');
      }, point.delayMs);
    };
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const poll = point.when ? setInterval(() => point.when!() && kill(), 2) : null;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (point.line && stdout.split('\n').some((line) => line.startsWith(point.line!))) kill();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (_code, signal) => {
      clearTimeout(guard);
      if (poll) clearInterval(poll);
      resolve({ lines: stdout.split('\n').slice(0, -1), signal, stderr, killedAfter });
    });
  });
}
