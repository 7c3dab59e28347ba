#!/usr/bin/env node
// `kms` (package.json bin) and `npm run kms -- ...`: runs the CLI from its TypeScript source through
// tsx. Paths resolve from this file, not the working directory, so `kms` works from anywhere (with
// relative --data-dir values still meaning the caller's directory). Arguments, stdin (passwords via
// --pin-env or a pipe), stdout/stderr and the exit code pass straight through.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, tsxLoader } from './lib/proc.mjs';

const cli = join(ROOT, 'electron', 'cli', 'kms.ts');
// `npm run kms` runs us in the package root; INIT_CWD is where the user typed it, and that is what a
// relative --data-dir means to them.
const cwd = process.env.npm_lifecycle_event === 'kms' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
const child = spawn(process.execPath, ['--import', tsxLoader(), cli, ...process.argv.slice(2)], { stdio: 'inherit', cwd });

// The child shares our terminal, so Ctrl-C reaches it directly; other signals are forwarded.
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
process.on('SIGINT', () => {});

child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else {
    process.exit(code ?? 1);
  }
});
