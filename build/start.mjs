#!/usr/bin/env node
// `npm start`: bootstrap, build, run. With an Electron binary: the desktop app. Without one (the
// usual case on air-gapped machines, where the binary cannot be downloaded): the same core and UI
// through the loopback browser host, opened in Debian's Chromium when a display is available.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { bootstrap, BootstrapError } from './bootstrap.mjs';
import { prepareElectronNative } from './lib/electron-native.mjs';
import { electronBinary, localBin, ROOT, runSync, tsxLoader } from './lib/proc.mjs';

/** Same rule as electron/main/app/data-dir.ts: KMS_DATA_DIR, else $XDG_DATA_HOME/keyward, else ~/.local/share/keyward. */
function dataDir() {
  if (process.env.KMS_DATA_DIR) return resolve(process.env.KMS_DATA_DIR);
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'keyward');
}

function build(only) {
  const env = { ...process.env, ...(only ? { KEYWARD_BUILD_ONLY: only } : {}) };
  if (runSync(localBin('electron-vite'), ['build', '--ignoreConfigWarning'], { env }) !== 0) {
    throw new BootstrapError(`electron-vite build${only ? ` (${only})` : ''} failed`);
  }
}

function startElectron(binary) {
  build(null);
  const env = { ...process.env, ...prepareElectronNative() };
  const child = spawn(binary, [join(ROOT, 'out', 'main', 'index.js')], { cwd: ROOT, stdio: 'inherit', env });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/**
 * Opens the URL in an app-mode Chromium window with a throwaway profile (no history, no sync).
 * Returns `close()`, which ends the browser and removes the profile (the page held a live token).
 */
function openChromium(url, onClosedByUser) {
  const profile = mkdtempSync(join(tmpdir(), 'keyward-chromium-'));
  const args = [
    `--app=${url}`,
    `--user-data-dir=${profile}`,
    '--window-size=1280,840',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-features=Translate,MediaRouter',
  ];
  // Chromium refuses its own sandbox as root; only then do we turn it off.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const opened = Date.now();
  const browser = spawn('/usr/bin/chromium', args, { stdio: 'ignore' });
  const exited = new Promise((done) => browser.on('exit', done));
  let closing = false;
  void exited.then(() => {
    rmSync(profile, { recursive: true, force: true });
    if (closing) return;
    // A Chromium that died at once (no usable display) leaves the host running for a browser the
    // user opens themselves; closing the window later ends Keyward, like closing a desktop app.
    if (Date.now() - opened > 5_000) onClosedByUser();
    else console.log('[start] Chromium exited at once; Keyward keeps running at the address above');
  });
  return {
    async close() {
      closing = true;
      browser.kill('SIGTERM');
      await Promise.race([exited, new Promise((done) => setTimeout(done, 3_000))]);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function startBrowserHost() {
  build('renderer');
  const dir = dataDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const args = ['--import', tsxLoader(), 'electron/host/browser-host.ts', '--data-dir', dir, '--port', '0', '--renderer-dir', 'out/renderer'];
  const host = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let browser = null;
  // The host closes the core (C_Finalize, WAL checkpoint) on SIGTERM; we wait for it in 'exit'.
  const stop = () => host.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  createInterface({ input: host.stdout }).on('line', (line) => {
    console.log(line);
    const match = /^KEYWARD_URL=(\S+)$/.exec(line);
    if (!match) return;
    const url = match[1];
    console.log(`\n  Keyward is running. Open this address in Chromium on this machine:\n\n    ${url}\n`);
    console.log('  The address carries a token made for this launch; it works only on this machine. Ctrl-C stops Keyward.\n');
    if (process.env.DISPLAY && existsSync('/usr/bin/chromium')) {
      browser = openChromium(url, () => {
        console.log('[start] Chromium window closed: stopping Keyward');
        stop();
      });
    } else {
      console.log('  (No DISPLAY: not opening a browser window.)');
    }
  });
  host.on('exit', async (code, signal) => {
    await browser?.close();
    process.exit(code ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1));
  });
}

try {
  bootstrap();
  const binary = electronBinary();
  if (binary) {
    console.log(`[start] Electron found (${binary}): building and launching the desktop app`);
    startElectron(binary);
  } else {
    console.log('[start] no Electron binary (its download is skipped offline): using the browser host with Chromium');
    startBrowserHost();
  }
} catch (error) {
  console.error(`[start] ${error instanceof BootstrapError ? error.message : error.stack}`);
  process.exit(1);
}
