import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../../electron/main/app/instance-lock';
import { hostAddress, spawnBrowserHost, type HostProcess } from '../../support/browser-host-process';
import { runKms } from '../../support/run-cli';
import { removeDir } from '../../support/test-core';

/**
 * One long-running Keyward process per data directory (issue 18, finding 7): a second browser host
 * on the same directory stops with a message naming the first, the `kms` CLI refuses to run beside
 * it, and a lock left by a killed host does not keep the directory closed forever.
 */
describe('instance lock on the data directory', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'keyward-lock-it-'));
  const launchDir = mkdtempSync(path.join(tmpdir(), 'keyward-lock-launch-'));
  const hosts: HostProcess[] = [];
  const start = (name: string): HostProcess => {
    const host = spawnBrowserHost(['--data-dir', dataDir, '--renderer-dir', launchDir, '--url-file', path.join(launchDir, name)]);
    hosts.push(host);
    return host;
  };

  afterAll(async () => {
    for (const host of hosts) await host.stop('SIGKILL');
    removeDir(dataDir);
    removeDir(launchDir);
  });

  it('a second browser host on the same directory exits naming the running one, which keeps serving', async () => {
    const first = start('first');
    const address = await hostAddress(first);
    const pid = first.child.pid ?? 0;
    expect(JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({ pid, kind: 'browser-host' });

    const second = start('second');
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`in use by another Keyward process (browser-host, pid ${pid}`);
    expect(second.output()).not.toContain('KEYWARD_URL=');
    expect((await fetch(address)).status).toBeLessThan(500);
  }, 120_000);

  it('the kms CLI refuses the directory while the console holds it, with exit code 2 and Forbidden.DataDirInUse', async () => {
    const pid = hosts[0]?.child.pid ?? 0;
    const result = await runKms(['ListKeys', '--data-dir', dataDir]);
    expect(result.code).toBe(2);
    expect(result.json).toMatchObject({ Code: 'Forbidden.DataDirInUse', RequestId: '' });
    expect(String(result.json.Message)).toContain(`pid ${pid}`);
    expect(String(result.json.Message)).toContain('stop the console first, or do this in the console');
    // Help needs no data directory and still works.
    expect((await runKms(['--help'])).code).toBe(0);
  }, 60_000);

  it('a stopped host releases the lock; after a SIGKILL the stale lock is replaced with a note', async () => {
    await hosts[0]?.stop();
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    expect((await runKms(['ListKeys', '--data-dir', dataDir])).code).toBe(0);

    const killed = start('killed');
    await hostAddress(killed);
    const killedPid = killed.child.pid ?? 0;
    await killed.stop('SIGKILL');
    expect(JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: killedPid });

    const next = start('next');
    await hostAddress(next);
    expect(next.output()).toContain(`replaced a stale lock on ${dataDir} (browser-host, pid ${killedPid}`);
    expect(JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: next.child.pid });
    await next.stop();
  }, 120_000);

  it('a lock whose pid now belongs to an unrelated program is stale too', async () => {
    // pid 1 is alive but is not node or electron (init, or the container's entry point).
    const comm = readFileSync('/proc/1/comm', 'utf8').trim();
    if (/node|electron|keyward/i.test(comm)) return;
    writeFileSync(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid: 1, kind: 'browser-host', startedAt: 'x' }));
    expect((await runKms(['ListKeys', '--data-dir', dataDir])).code).toBe(0);
    const host = start('pid-reused');
    await hostAddress(host);
    expect(host.output()).toContain('replaced a stale lock');
    await host.stop();
  }, 120_000);
});
