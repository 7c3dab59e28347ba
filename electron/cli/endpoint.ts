import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CallOutcome } from '../../shared/bridge';
import { createCore } from '../main/app/core';
import type { Core } from '../main/app/core-types';
import { resolveDataDir } from '../main/app/data-dir';
import { acquireInstanceLock } from '../main/app/instance-lock';
import { createNodeWorkerLauncher } from '../main/hsm/node-launcher';
import { DEFAULT_PASSWORD_VARIABLE } from '../main/transports/cli';

/**
 * `npm run endpoint -- --data-dir DIR --address A --port P`: the application endpoint without a
 * console. The default key store's password comes from KMS_DEFAULT_KEYSTORE_PASSWORD or the first
 * line of standard input (never an argument: process lists show arguments). Prints the endpoint's
 * description as one JSON line, serves until SIGINT/SIGTERM, then stops it and closes the core.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, address: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '0' } },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) return usage(`--port ${values.port} is not a port number.`);
  // The password leaves process.env before anything starts, so no HSM worker inherits it.
  const password = process.env[DEFAULT_PASSWORD_VARIABLE] ?? (await firstStdinLine());
  delete process.env[DEFAULT_PASSWORD_VARIABLE];
  if (!password) return usage(`set ${DEFAULT_PASSWORD_VARIABLE} or pipe the default key store's password on standard input.`);

  const dataDir = resolveDataDir(values['data-dir'] ?? null, process.env);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = acquireInstanceLock(dataDir, 'endpoint', { note: (message) => console.error(message) });
  const core = await createCore({ dataDir, launcher: createNodeWorkerLauncher() });
  const started = await connectDefaultKeyStore(core, password).then((connected) =>
    connected.ok ? core.dispatch('StartApplicationEndpoint', { Address: values.address, Port: port }, { transport: 'cli' }) : connected,
  );
  if (!started.ok) {
    process.stderr.write(`${JSON.stringify(started.error)}\n`);
    await core.close();
    lock.release();
    return 1;
  }
  process.stdout.write(`${JSON.stringify(started.output)}\n`);
  await new Promise<void>((resolve) => {
    // `on`, not `once`: a second Ctrl-C while the core closes must not kill the process half-way.
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => resolve());
  });
  // Closing the core stops the endpoint (audited) before the HSM and the registry close.
  await core.close();
  lock.release();
  return 0;
}

async function connectDefaultKeyStore(core: Core, password: string): Promise<CallOutcome> {
  const described = await core.dispatch('DescribeKeyStores', {}, { transport: 'cli' });
  if (!described.ok) return described;
  const stores = (described.output as { KeyStores: { KeyStoreId: string; KeyStoreType: string; Initialized: boolean; ConnectionState: string }[] }).KeyStores;
  const store = stores.find((candidate) => candidate.KeyStoreType === 'DEFAULT');
  if (!store?.Initialized) {
    return { ok: false, error: { Code: 'Forbidden.KeyStoreState', Message: 'The default key store is not initialized: set Keyward up in the console first.', RequestId: '' } };
  }
  if (store.ConnectionState === 'CONNECTED') return described;
  return core.dispatch('ConnectKeyStore', { KeyStoreId: store.KeyStoreId, KeyStorePassword: password }, { transport: 'cli' });
}

async function firstStdinLine(): Promise<string | null> {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).includes(0x0a) || Buffer.concat(chunks).length > 256) break;
  }
  const line = Buffer.concat(chunks).toString('utf8').split('\n', 1)[0] ?? '';
  return line.replace(/\r$/, '') || null;
}

function usage(problem: string): number {
  process.stderr.write(`${JSON.stringify({ Code: 'InvalidParameter', Message: problem, RequestId: '' })}\nUsage: npm run endpoint -- [--data-dir DIR] [--address 127.0.0.1] [--port 0]\n`);
  return 2;
}

main().then(
  (code) => {
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`${JSON.stringify({ Code: 'InternalFailure', Message: error instanceof Error ? error.message : String(error), RequestId: '' })}\n`);
    process.exit(1);
  },
);
