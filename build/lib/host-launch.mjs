// Runs the browser host and opens the console in Chromium: shared by `npm start` (sources through
// tsx) and the packaged `keyward` launcher (bundled JavaScript). The launch address never reaches a
// command line: the host writes it to a 0600 file in a private launch directory, and Chromium gets
// only the path of a 0600 page there that forwards to it (build/lib/launch-page.mjs).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { chromiumAppArgs, writeLaunchPage } from './launch-page.mjs';

const CHROMIUM = '/usr/bin/chromium';
/** Chromium that exits sooner than this found no usable display: Keyward keeps running for a browser opened by hand. */
const EARLY_EXIT_MS = 5_000;

/** Same rule as electron/main/app/data-dir.ts: KMS_DATA_DIR, else $XDG_DATA_HOME/keyward, else ~/.local/share/keyward. */
export function dataDir() {
  if (process.env.KMS_DATA_DIR) return resolve(process.env.KMS_DATA_DIR);
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'keyward');
}

/**
 * Opens the launch page in an app-mode Chromium window whose throwaway profile (no history, no sync)
 * is the launch directory. Returns `close()`.
 */
function openChromium(profile, launchPage, tag, onClosedByUser) {
  const opened = Date.now();
  const browser = spawn(CHROMIUM, chromiumAppArgs(profile, launchPage), { stdio: 'ignore' });
  const exited = new Promise((done) => browser.on('exit', done));
  let closing = false;
  void exited.then(() => {
    if (closing) return;
    // Closing the window later ends Keyward, like closing a desktop app.
    if (Date.now() - opened > EARLY_EXIT_MS) onClosedByUser();
    else console.log(`[${tag}] Chromium exited at once; Keyward keeps running: open ${pathToFileURL(launchPage).href} yourself`);
  });
  return {
    async close() {
      closing = true;
      browser.kill('SIGTERM');
      await Promise.race([exited, new Promise((done) => setTimeout(done, 3_000))]);
    },
  };
}

/**
 * `npm start` / `keyward` options for test runners and headless use:
 *   --no-browser      open no Chromium window
 *   --url-file FILE   write the launch address to FILE (a new file, 0600, in a directory only you can
 *                     write) instead of a launch page; needs --no-browser, since the address opens one session
 *   --data-dir DIR    the data directory (else KMS_DATA_DIR, XDG_DATA_HOME/keyward, ~/.local/share/keyward)
 */
export function parseLaunchOptions(argv) {
  const options = { noBrowser: false, urlFile: null, dataDir: null };
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index];
    if (flag === '--no-browser') {
      options.noBrowser = true;
      continue;
    }
    const value = argv[index + 1];
    if ((flag !== '--url-file' && flag !== '--data-dir') || value === undefined || value.startsWith('--')) {
      throw new LaunchOptionError(`unknown option or missing value: ${flag} (options: --no-browser, --url-file FILE, --data-dir DIR)`);
    }
    if (flag === '--url-file') options.urlFile = resolve(value);
    else options.dataDir = resolve(value);
    index += 1;
  }
  if (options.urlFile && !options.noBrowser) throw new LaunchOptionError('--url-file needs --no-browser: the launch address opens only one session');
  return options;
}

export class LaunchOptionError extends Error {}

/**
 * Starts the host (`node <hostArgs> --data-dir … --port 0 --renderer-dir … --url-file …`) and, with a
 * display and without `noBrowser`, Chromium on it; exits this process when the host exits. `tag`
 * prefixes our own lines.
 */
export function runBrowserHostWithChromium({ hostArgs, rendererDir, cwd, tag, options = parseLaunchOptions([]) }) {
  const dir = options.dataDir ?? dataDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // One private (0700) directory per launch: the address file, the page that opens it and Chromium's
  // profile. Removed when Keyward stops (the address is single-use anyway).
  const launchDir = mkdtempSync(join(tmpdir(), 'keyward-launch-'));
  const urlFile = options.urlFile ?? join(launchDir, 'launch-url');
  const args = [...hostArgs, '--data-dir', dir, '--port', '0', '--renderer-dir', rendererDir, '--url-file', urlFile];
  const host = spawn(process.execPath, args, { cwd: cwd ?? launchDir, stdio: ['ignore', 'pipe', 'inherit'] });
  let browser = null;
  // The host closes the core (C_Finalize, WAL checkpoint) on SIGTERM; we wait for it in 'exit'.
  const stop = () => host.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  createInterface({ input: host.stdout }).on('line', (line) => {
    console.log(line);
    const match = /^KEYWARD_URL=(\S+)$/.exec(line);
    if (!match) return;
    if (options.urlFile) {
      console.log(`\n  Keyward is running at ${match[1]} (that address alone opens nothing).`);
      console.log(`  The launch address (one session) is in ${options.urlFile}, readable only by you. Ctrl-C stops Keyward.\n`);
      return;
    }
    const launchPage = writeLaunchPage(launchDir, readFileSync(urlFile, 'utf8').trim());
    const pageUrl = pathToFileURL(launchPage).href;
    console.log(`\n  Keyward is running at ${match[1]} (that address alone opens nothing).`);
    console.log(`  The console opens once, from ${pageUrl}, which only you can read; it then holds the one session of this launch.`);
    console.log('  Ctrl-C stops Keyward.\n');
    if (options.noBrowser) {
      console.log(`  (--no-browser: open ${pageUrl} in Chromium on this machine.)\n`);
    } else if (process.env.DISPLAY && existsSync(CHROMIUM)) {
      browser = openChromium(launchDir, launchPage, tag, () => {
        console.log(`[${tag}] Chromium window closed: stopping Keyward`);
        stop();
      });
    } else {
      console.log(`  (No DISPLAY: not opening a browser window. Open ${pageUrl} in Chromium on this machine.)\n`);
    }
  });
  host.on('exit', async (code, signal) => {
    await browser?.close();
    rmSync(launchDir, { recursive: true, force: true });
    process.exit(code ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1));
  });
}
