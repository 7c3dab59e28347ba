/**
 * The .deb `npm run package` wrote to dist/, extracted with dpkg-deb into a temp root, and ways to
 * run what it installs from there (a real install is the README's manual step; this is the same
 * file tree without touching the machine's /usr).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const DIST = path.join(REPO_ROOT, 'dist');
export const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
export const DEB = path.join(DIST, `keyward_${VERSION}_amd64.deb`);
export const SBOM = path.join(DIST, `keyward-${VERSION}.cdx.json`);

/** A minimal environment: nothing of the developer's setup (NODE_OPTIONS, tsx, node_modules) can help. */
export function cleanEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', ...extra };
}

export function capture(cmd: string, args: string[], options: { cwd?: string } = {}): string {
  const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

export function requireBuiltPackage(): void {
  if (!existsSync(DEB)) throw new Error(`${DEB} is missing: run \`npm run package\` first (npm test does, in its step "package")`);
}

/** dpkg-deb -x into a fresh temp directory; returns it. */
export function extract(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'keyward-deb-'));
  capture('dpkg-deb', ['-x', DEB, root]);
  return root;
}

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** Every entry under `root` with its type, mode, size and mtime: what "nothing written" is checked against. */
export function treeState(root: string, dir = root, state: Record<string, string> = {}): Record<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const stats = lstatSync(full);
    state[path.relative(root, full)] = `${entry.isDirectory() ? 'd' : entry.isSymbolicLink() ? 'l' : 'f'} ${(stats.mode & 0o7777).toString(8)} ${stats.size} ${stats.mtimeMs}`;
    if (entry.isDirectory()) treeState(root, full, state);
  }
  return state;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command installed by the package (e.g. usr/bin/kms) from the extracted root. */
export function runInstalled(root: string, command: string, args: string[], env: Record<string, string>, stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, command), args, { cwd: env.HOME, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

export interface LongRunning {
  /** Resolves with the match of the first stdout line matching `pattern`; rejects when the process ends first. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  output(): string;
  /** SIGTERM, then the exit code (SIGKILL after 20 s). */
  stop(): Promise<number | null>;
}

/** Starts a long-running command of the package (the keyward launcher) from the extracted root. */
export function startInstalled(root: string, command: string, env: Record<string, string>): LongRunning {
  const child = spawn(path.join(root, command), [], { cwd: env.HOME, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const listeners = new Set<() => void>();
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const onData = (chunk: string): void => {
    log += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  return {
    waitForLine(pattern, timeoutMs = 90_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const match = log.split('\n').map((line) => pattern.exec(line)).find((found) => found !== null);
          if (!match) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(match);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${log}`));
        }, timeoutMs);
        void exited.then(() => {
          listeners.delete(check);
          clearTimeout(timer);
          reject(new Error(`${command} exited before printing ${pattern}:\n${log}`));
        });
        listeners.add(check);
        check();
      });
    },
    output: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
  };
}
