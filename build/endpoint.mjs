#!/usr/bin/env node
// `npm run endpoint -- --data-dir DIR --address A --port P`: the application endpoint headless, from
// its TypeScript source through tsx. The default key store's password comes from
// KMS_DEFAULT_KEYSTORE_PASSWORD or standard input; SIGINT/SIGTERM stop the endpoint and close the core.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, tsxLoader } from './lib/proc.mjs';

const entry = join(ROOT, 'electron', 'cli', 'endpoint.ts');
// A relative --data-dir means the directory the user typed `npm run endpoint` in.
const cwd = process.env.npm_lifecycle_event === 'endpoint' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
const child = spawn(process.execPath, ['--import', tsxLoader(), entry, ...process.argv.slice(2)], { stdio: 'inherit', cwd });

// The child shares our terminal, so Ctrl-C reaches it directly; other signals are forwarded.
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
process.on('SIGINT', () => {});

child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
