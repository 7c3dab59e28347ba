import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostAddress, spawnNpmStart, type HostProcess } from '../../support/browser-host-process';

/**
 * `npm start -- --no-browser --url-file FILE --data-dir DIR`, the start a test runner uses: no
 * window, the launch address only in a new 0600 file, never on the output.
 */
const START_ENV = { KEYWARD_SKIP_BUILD: '1' };

describe('npm start --no-browser --url-file', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'keyward-headless-'));
  const dataDir = path.join(scratch, 'data');
  const urlFile = path.join(scratch, 'launch-url');
  let start: HostProcess;
  let address = '';

  beforeAll(async () => {
    start = spawnNpmStart(['--no-browser', '--url-file', urlFile, '--data-dir', dataDir], START_ENV);
    address = await hostAddress(start, 120_000);
  }, 180_000);
  afterAll(async () => {
    await start?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('writes the launch address to the file, 0600, and nowhere on the output', () => {
    const launchUrl = readFileSync(urlFile, 'utf8').trim();
    expect(launchUrl).toMatch(new RegExp(`^${address}session\\?nonce=[A-Za-z0-9_-]{43}$`));
    expect(lstatSync(urlFile).mode & 0o777).toBe(0o600);
    const nonce = new URL(launchUrl).searchParams.get('nonce') ?? '';
    expect(start.output()).toContain(`KEYWARD_URL=${address}`);
    expect(start.output()).not.toContain(nonce);
    expect(start.output()).not.toContain('launch.html'); // no launch page for a browser: none is opened
    expect(lstatSync(path.join(dataDir, 'keyward.lock')).isFile()).toBe(true);
  });

  it('opens a session exactly once', async () => {
    const launchUrl = readFileSync(urlFile, 'utf8').trim();
    const first = await fetch(launchUrl, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('set-cookie')).toMatch(/^keyward_session=/);
    const replay = await fetch(launchUrl, { redirect: 'manual' });
    expect(replay.status).toBe(403);
    expect(replay.headers.get('set-cookie')).toBeNull();
  });

  it('removes the file when Keyward stops', async () => {
    await start.stop();
    expect(() => lstatSync(urlFile)).toThrow(/ENOENT/);
  });
});

describe('npm start refuses an unsafe --url-file', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'keyward-headless-refused-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  async function refusedStart(urlFile: string): Promise<string> {
    const start = spawnNpmStart(['--no-browser', '--url-file', urlFile, '--data-dir', path.join(scratch, 'data')], START_ENV);
    // A start that was not refused would run until stopped.
    const code = await Promise.race([start.exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 60_000))]);
    await start.stop();
    expect(code).not.toBe('running');
    expect(code).not.toBe(0);
    return start.output();
  }

  it('an existing file stays as it was', async () => {
    const existing = path.join(scratch, 'existing');
    writeFileSync(existing, 'left here\n', { mode: 0o600 });
    expect(await refusedStart(existing)).toContain('exists already');
    expect(readFileSync(existing, 'utf8')).toBe('left here\n');
  }, 120_000);

  it('a symbolic link is not followed', async () => {
    const target = path.join(scratch, 'target');
    writeFileSync(target, 'planted\n', { mode: 0o600 });
    const link = path.join(scratch, 'link');
    symlinkSync(target, link);
    expect(await refusedStart(link)).toContain('exists already');
    expect(readFileSync(target, 'utf8')).toBe('planted\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  }, 120_000);

  it('--url-file without --no-browser: the window would use up the one session', async () => {
    const start = spawnNpmStart(['--url-file', path.join(scratch, 'fresh')], START_ENV);
    expect(await start.exited).toBe(2);
    expect(start.output()).toContain('--url-file needs --no-browser');
  });
});
