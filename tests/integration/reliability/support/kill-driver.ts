import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface KilledRun {
  /** The complete lines the driver printed (a line cut by the kill was not fully acknowledged). */
  lines: string[];
  signal: string | null;
  stderr: string;
}

/**
 * Runs a TypeScript driver in its own Node process and SIGKILLs it `delayMs` after it prints
 * PID-WORKERS-READY (its core and HSM workers are up), or after 60 s whatever happens.
 */
export function runDriverAndKill(driver: string, args: readonly string[], delayMs: number, env: NodeJS.ProcessEnv = process.env): Promise<KilledRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, driver, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!timer && stdout.includes('PID-WORKERS-READY')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (_code, signal) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      resolve({ lines: stdout.split('\n').slice(0, -1), signal, stderr });
    });
  });
}
