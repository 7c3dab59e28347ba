#!/usr/bin/env node
// `npm start`: bootstrap, build, run. With an Electron binary: the desktop app. Without one (the
// usual case on air-gapped machines, where the binary cannot be downloaded): the same core and UI
// through the loopback browser host, opened in Debian's Chromium when a display is available.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, BootstrapError } from './bootstrap.mjs';
import { prepareElectronNative } from './lib/electron-native.mjs';
import { LaunchOptionError, parseLaunchOptions, runBrowserHostWithChromium } from './lib/host-launch.mjs';
import { electronBinary, localBin, ROOT, runSync, tsxLoader } from './lib/proc.mjs';

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

function startBrowserHost(options) {
  // A test runner that built the console already (the Playwright kit) need not wait for a rebuild.
  if (process.env.KEYWARD_SKIP_BUILD !== '1' || !existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) build('renderer');
  runBrowserHostWithChromium({
    hostArgs: ['--import', tsxLoader(), 'electron/host/browser-host.ts'],
    rendererDir: 'out/renderer',
    cwd: ROOT,
    tag: 'start',
    options,
  });
}

try {
  const options = parseLaunchOptions(process.argv.slice(2));
  bootstrap();
  if (options.dataDir) process.env.KMS_DATA_DIR = options.dataDir; // the Electron app reads it too
  // Headless starts (--no-browser) always take the browser host: it is what a test runner drives.
  const binary = options.noBrowser ? null : electronBinary();
  if (binary) {
    console.log(`[start] Electron found (${binary}): building and launching the desktop app`);
    startElectron(binary);
  } else if (options.noBrowser) {
    console.log('[start] --no-browser: starting the browser host without opening a window');
    startBrowserHost(options);
  } else {
    console.log('[start] no Electron binary (its download is skipped offline): using the browser host with Chromium');
    startBrowserHost(options);
  }
} catch (error) {
  console.error(`[start] ${error instanceof BootstrapError || error instanceof LaunchOptionError ? error.message : error.stack}`);
  process.exit(error instanceof LaunchOptionError ? 2 : 1);
}
