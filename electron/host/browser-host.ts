import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../main/app/core';
import { resolveDataDir } from '../main/app/data-dir';
import { acquireInstanceLock } from '../main/app/instance-lock';
import { createNodeWorkerLauncher } from '../main/hsm/node-launcher';
import { startBrowserHost } from '../main/transports/ws-host';
import { checkLaunchFileTarget, writeLaunchFile } from './launch-file';

/**
 * The browser host: the core in Node and the renderer in any local Chromium, for machines without
 * an Electron binary and for Playwright. Once listening it prints `KEYWARD_URL=http://127.0.0.1:PORT/`
 * (safe to show: it opens no session) and `KEYWARD_URL_FILE=…`, the private file holding the
 * single-use launch address.
 */
interface HostArguments {
  dataDir: string | null;
  port: number;
  rendererDir: string;
  urlFile: string | null;
}

function parseArguments(argv: readonly string[]): HostArguments {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const result: HostArguments = { dataDir: null, port: 0, rendererDir: path.join(repoRoot, 'out', 'renderer'), urlFile: null };
  for (let index = 0; index < argv.length; index += 2) {
    const flag = argv[index];
    const value = argv[index + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--data-dir') result.dataDir = value;
    else if (flag === '--port') result.port = Number(value);
    else if (flag === '--renderer-dir') result.rendererDir = path.resolve(value);
    else if (flag === '--url-file') result.urlFile = path.resolve(value);
    else throw new Error(`Unknown option ${flag}`);
  }
  if (!Number.isInteger(result.port) || result.port < 0 || result.port > 65535) throw new Error('--port must be 0-65535');
  return result;
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  // Before anything starts: a refused --url-file should not cost opening the tokens.
  if (options.urlFile) checkLaunchFileTarget(options.urlFile);
  const dataDir = resolveDataDir(options.dataDir, process.env);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Before the core opens anything: a second host must not touch the registry or the tokens.
  const lock = acquireInstanceLock(dataDir, 'browser-host', { note: (message) => console.error(message) });
  const core = await createCore({ dataDir, launcher: createNodeWorkerLauncher() });
  const host = await startBrowserHost({
    dispatch: core.dispatch,
    files: core.files,
    rendererDir: options.rendererDir,
    port: options.port,
    // Printed so that the officer notices a session they did not open themselves.
    onSessionOpened: () => console.log(`Keyward: browser session opened at ${new Date().toISOString()}; the launch address is used up`),
  });
  const launchFile = writeLaunchFile(options.urlFile, host.launchUrl);
  console.log(`Keyward browser host, data directory ${dataDir}`);
  console.log(`KEYWARD_URL_FILE=${launchFile.path}`);
  console.log(`KEYWARD_URL=${host.url}`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    launchFile.remove();
    void host
      .close()
      .then(() => core.close())
      .finally(() => {
        lock.release();
        process.exit(0);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}

main().catch((error: unknown) => {
  console.error(`Keyward browser host failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
