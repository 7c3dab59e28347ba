/**
 * R9: a local attacker against the browser host's session (issue 18, finding 2). The real host runs
 * as `npm start` runs it (child process, --url-file in a private directory) and Chromium opens the
 * console exactly as start.mjs opens it (launch page, throwaway profile). Then another local user
 * (nobody, when this runs as root; else the same user) harvests every secret-looking string from
 * every readable /proc/PID/cmdline and environ and from the printed address, and tries each as a
 * nonce, a session cookie and an old-style `?token=` with a forged Origin; it also replays the used
 * launch address. Nothing may open a session or a socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAppArgs, writeLaunchPage } from '../../../build/lib/launch-page.mjs';
import { hostAddress, spawnBrowserHost, type HostProcess } from '../../support/browser-host-process';
import { openHostSession } from '../../support/host-session';
import { removeDir } from '../../support/test-core';
import { writeFigures } from './support/figures';

const ATTACKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'local-attacker.mjs');
const CHROMIUM = '/usr/bin/chromium';
const NOBODY = 65534;

interface AttackReport {
  uid: number;
  readableProcFiles: number;
  candidates: number;
  candidateList: string[];
  secretMentions: number;
  urlFile: string;
  launchDir: string;
  attempts: Array<{ what: string; status: number }>;
}

/** Another user only when we are root and setpriv exists; otherwise the attacker is the officer's own user. */
function attackerCommand(script: string, args: string[]): [string, string[]] {
  const asNobody = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv');
  return asNobody
    ? ['/usr/bin/setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, script, ...args]]
    : [process.execPath, [script, ...args]];
}

function runAttacker(args: string[], stdin: string): Promise<AttackReport> {
  // Where the other user can read the script (the checkout may not be readable to it).
  const dir = mkdtempSync(path.join(tmpdir(), 'keyward-attacker-'));
  chmodSync(dir, 0o755);
  const script = path.join(dir, 'local-attacker.mjs');
  copyFileSync(ATTACKER, script);
  chmodSync(script, 0o644);
  const [command, argv] = attackerCommand(script, args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(stdin);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (code) => {
      removeDir(dir);
      if (code === 0) resolve(JSON.parse(out) as AttackReport);
      else reject(new Error(`attacker exited ${code}: ${err}`));
    });
  });
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('R9 local attacker: browser host session', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'keyward-r9-data-'));
  const launchDir = mkdtempSync(path.join(tmpdir(), 'keyward-r9-launch-')); // 0700, as start.mjs makes it
  const rendererDir = mkdtempSync(path.join(tmpdir(), 'keyward-r9-renderer-'));
  const urlFile = path.join(launchDir, 'launch-url');
  let host: HostProcess;
  let browser: ChildProcess | null = null;
  let address = '';
  let launchUrl = '';
  let nonce = '';
  let report: AttackReport;
  const opener = existsSync(CHROMIUM) ? 'Chromium, launched as start.mjs launches it' : 'a Node client (no Chromium here)';

  beforeAll(async () => {
    mkdirSync(path.join(rendererDir, 'assets'));
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Keyward</title>');
    host = spawnBrowserHost(['--data-dir', dataDir, '--renderer-dir', rendererDir, '--url-file', urlFile]);
    address = await hostAddress(host);
    launchUrl = readFileSync(urlFile, 'utf8').trim();
    nonce = new URL(launchUrl).searchParams.get('nonce') ?? '';

    // The officer's window opens the one session of this launch.
    if (existsSync(CHROMIUM)) {
      const page = writeLaunchPage(launchDir, launchUrl);
      browser = spawn(CHROMIUM, [...chromiumAppArgs(launchDir, page), '--headless=new', '--disable-gpu'], { stdio: 'ignore', detached: true });
    } else {
      await openHostSession(launchUrl);
    }
    await waitFor(() => host.output().includes('browser session opened'), 'the launch address to be used');
    // The attacker runs while the browser (and its command line) is still alive.
    report = await runAttacker([address, urlFile, launchDir], launchUrl);
  }, 120_000);

  afterAll(async () => {
    if (browser?.pid) {
      try {
        process.kill(-browser.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await host?.stop();
    for (const dir of [dataDir, launchDir, rendererDir]) removeDir(dir);
  });

  it('keeps the launch address in a 0600 file in a 0700 directory and prints only the plain address', () => {
    expect(statSync(urlFile).mode & 0o777).toBe(0o600);
    expect(statSync(launchDir).mode & 0o777).toBe(0o700);
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(host.output()).not.toContain(nonce);
  });

  it('puts no nonce on any command line the attacker can read, the browser’s included', () => {
    expect(report.readableProcFiles).toBeGreaterThan(0);
    expect(report.candidateList).not.toContain(nonce);
    expect(report.secretMentions).toBe(0);
    if (browser?.pid) {
      const cmdline = readFileSync(`/proc/${browser.pid}/cmdline`, 'utf8');
      expect(cmdline).toContain('launch.html');
      expect(cmdline).not.toContain(nonce);
    }
  });

  it('grants no socket and no session to anything the attacker harvested, forged or replayed', () => {
    const granted = report.attempts.filter((attempt) => attempt.status !== 403);
    expect(granted).toEqual([]);
    expect(report.attempts.map((attempt) => attempt.what)).toEqual(
      expect.arrayContaining(['socket, no cookie, forged Origin', 'socket with the printed address query', 'replayed launch address']),
    );
  });

  it('leaves the launch file and directory unreadable to another user', () => {
    if (report.uid === process.getuid?.()) return; // the same user may read its own files
    expect(report.urlFile).toBe('EACCES');
    expect(report.launchDir).toBe('EACCES');
  });

  // Written after every check has run, and only when all of them passed: a figure is a result.
  // eslint-disable-next-line no-empty-pattern -- Vitest passes the suite second, after the fixtures.
  afterAll(({}, suite) => {
    if (suite.tasks.some((task) => task.result?.state !== 'pass')) return;
    const who = report.uid === process.getuid?.() ? `the officer's own user (uid ${report.uid})` : `another local user (uid ${report.uid}, via setpriv)`;
    writeFigures({
      suite: 'R9-host-session',
      title: 'Local attacker: browser host session',
      lines: [
        `the real browser host (child process, --url-file) with its launch address opened by ${opener}; attacker: ${who}`,
        `${report.readableProcFiles} /proc cmdline/environ files read, ${report.candidates} secret-looking strings harvested (nonce among them: ${report.candidateList.includes(nonce) ? 'yes' : 'no'})`,
        `${report.attempts.length} attempts (each harvested string as nonce, session cookie and ?token=, forged Origin; no cookie; the printed address; the used launch address replayed): all 403`,
        report.uid === process.getuid?.() ? 'launch file: readable by the same user by design (0600, 0700 directory)' : `launch file ${report.urlFile}, launch directory ${report.launchDir} for the other user`,
      ],
      findings: [],
    });
  });
});
