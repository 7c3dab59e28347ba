// Small process helpers shared by bootstrap, start and test. Plain Node, no dependencies: these run
// before `npm install` has happened on a fresh machine.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Path of a locally installed CLI (node_modules/.bin); we call them directly, not through npx,
 *  so that npm's own warnings and its "install this package?" prompt never get in the way. */
export function localBin(name) {
  return join(ROOT, 'node_modules', '.bin', name);
}

export function hasLocalBin(name) {
  return existsSync(localBin(name));
}

/** Runs a command synchronously with inherited stdio; returns the exit status (null on signal). */
export function runSync(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status;
}

const running = new Set();

/** Kills the process group of every child still running (children are started detached so that a
 *  timeout or Ctrl-C also reaches their grandchildren: browsers, worker processes, Xvfb). */
export function killAllChildren(signal = 'SIGTERM') {
  for (const child of running) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* already gone */
    }
  }
}

let signalsHooked = false;
function hookSignals() {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      killAllChildren('SIGTERM');
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

/**
 * Runs a command with streamed (inherited) output in its own process group.
 * Resolves { code, signal, timedOut, ms }; never rejects (a spawn error becomes code 127).
 */
export function run(cmd, args, { timeoutMs = 0, env, cwd = ROOT } = {}) {
  hookSignals();
  const started = Date.now();
  return new Promise((resolve) => {
    let timedOut = false;
    let child;
    try {
      child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    } catch (error) {
      console.error(`cannot start ${cmd}: ${error.message}`);
      resolve({ code: 127, signal: null, timedOut, ms: 0 });
      return;
    }
    running.add(child);
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            console.error(`\n${cmd} ${args.join(' ')}: timed out after ${Math.round(timeoutMs / 1000)} s, killing it`);
            try {
              process.kill(-child.pid, 'SIGKILL');
            } catch {
              /* already gone */
            }
          }, timeoutMs)
        : null;
    child.on('error', (error) => {
      console.error(`cannot start ${cmd}: ${error.message}`);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      running.delete(child);
      // Leftovers of the group (a browser a test forgot to close) must not outlive the step.
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* group already empty */
      }
      resolve({ code: code ?? (signal ? 128 : 127), signal, timedOut, ms: Date.now() - started });
    });
  });
}

/** Where the Electron binary is, or null when its download was skipped or failed (always, here). */
export function electronBinary() {
  const pathFile = join(ROOT, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  // Same resolution as node_modules/electron/index.js, without requiring it (it throws when absent).
  const result = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("electron"))'], { cwd: ROOT, encoding: 'utf8' });
  const path = result.status === 0 ? result.stdout.trim() : '';
  return path && existsSync(path) ? path : null;
}

/** file: URL of tsx's ESM loader, for `node --import <it> file.ts` from any working directory.
 *  A function, not a constant: before bootstrap has run there is no node_modules to resolve in. */
export function tsxLoader() {
  return import.meta.resolve('tsx');
}
