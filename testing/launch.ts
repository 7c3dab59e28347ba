import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { openHostSession } from './host-session';
import { BROWSER_HOST, HOST_ROOT, RENDERER_OUT } from './paths';

export interface KeywardHost {
  /** `http://127.0.0.1:PORT/`, as the host printed it (it opens no session by itself). */
  url: string;
  /** The single-use launch address from the host's url-file; already used once a session is open. */
  launchUrl: string;
  /** `keyward_session=…` of the session opened at launch, for the `kms` client; '' when none was opened. */
  sessionCookie: string;
  dataDir: string;
  /** Stops the host mid-test (disposing of it afterwards then has nothing left to stop). */
  stop(): Promise<void>;
}

export interface LaunchedHost {
  host: KeywardHost;
  /** What the host printed so far. */
  log(): string;
  /** Stops the host and removes its data directory, unless the caller chose that directory. */
  dispose(): Promise<void>;
}

export interface LaunchOptions {
  /** Opens the host's one session in this page (as the officer's window does): a 303 with the cookie, the console. */
  page?: Page | null;
  /** Opens the session from Node instead, when no page should do it (the cookie is then the caller's to place). */
  openSessionFromNode?: boolean;
  /** An existing data directory, kept afterwards; default: a fresh temporary one, removed. */
  dataDir?: string;
}

const URL_LINE = /^KEYWARD_URL=(http:\/\/127\.0\.0\.1:\d+\/)$/m;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * A browser host on a data directory (a fresh one unless given), with its launch address read from a
 * private url-file, never from its output. The session is opened by `page`, or from Node.
 */
export async function launchHost(options: LaunchOptions = {}): Promise<LaunchedHost> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'keyward-ui-')));
  if (!ownDataDir) await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // mkdtemp makes it 0700, as the host requires of the url-file's directory.
  const launchDir = await mkdtemp(path.join(tmpdir(), 'keyward-ui-launch-'));
  const urlFile = path.join(launchDir, 'launch-url');
  let log = '';
  // One node process of our own (no npx wrapper), leader of its own group.
  const child = spawn(
    process.execPath,
    [...hostEntry(), '--data-dir', dataDir, '--port', '0', '--renderer-dir', RENDERER_OUT, '--url-file', urlFile],
    { cwd: HOST_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, KMS_DATA_DIR: dataDir } },
  );
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const dispose = async (): Promise<void> => {
    await stopHost(child);
    if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    await rm(launchDir, { recursive: true, force: true });
  };
  try {
    const url = await waitForUrl(child, () => log);
    const launchUrl = (await readFile(urlFile, 'utf8')).trim();
    const sessionCookie = await openSession(options, url, launchUrl);
    return { host: { url, launchUrl, sessionCookie, dataDir, stop: () => stopHost(child) }, log: () => log, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/**
 * The host's sources through tsx, or KEYWARD_UI_HOST_BUNDLE: a `browser-host.js` bundled as the
 * package ships it (build/package/bundle.mjs), which starts faster; Keyward's UI suite sets it.
 */
function hostEntry(): string[] {
  const bundle = process.env.KEYWARD_UI_HOST_BUNDLE;
  return bundle ? [bundle] : ['--import', 'tsx', BROWSER_HOST];
}

async function openSession(options: LaunchOptions, url: string, launchUrl: string): Promise<string> {
  if (options.page) {
    await options.page.goto(launchUrl);
    const cookie = (await options.page.context().cookies(url)).find((c) => c.name === 'keyward_session');
    if (!cookie) throw new Error('the launch address set no session cookie');
    return `${cookie.name}=${cookie.value}`;
  }
  return options.openSessionFromNode ? openHostSession(launchUrl) : '';
}

/** Resolves with the URL line, or rejects with the host's output if it exits or stalls first. */
function waitForUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`browser host printed no KEYWARD_URL within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const onData = (): void => {
      const match = URL_LINE.exec(output());
      if (match?.[1]) finish(null, match[1]);
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`browser host exited (code ${code}, signal ${signal}) before printing KEYWARD_URL`));
    function finish(error: Error | null, url?: string): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(new Error(`${error.message}\n--- host output ---\n${output()}`));
      else resolve(url ?? '');
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** SIGTERM to the host's process group (it stops its HSM workers), SIGKILL if it lingers. */
async function stopHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  signalGroup('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), STOP_TIMEOUT_MS))]);
  if (timedOut) {
    signalGroup('SIGKILL');
    await exited;
  }
}
