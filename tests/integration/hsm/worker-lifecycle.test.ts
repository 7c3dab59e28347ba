import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HsmModuleClient, type WorkerCrashEvent } from '../../../electron/main/hsm/client';
import { HsmModules } from '../../../electron/main/hsm/modules';
import { createSoftHsmFixture } from '../../support/softhsm';
import { caught, newObjectId, RecordingLauncher, setUpToken, USER_PIN, type TokenSetup } from './helpers';

const POLICY = { wrapWithTrusted: false, extractable: false };

describe('hsm worker process lifecycle (SoftHSM2)', () => {
  let t: TokenSetup;

  beforeAll(async () => {
    t = await setUpToken('lifecycle');
  });

  afterAll(async () => {
    await t.close();
  });

  it('keeps serving while RSA-3072/4096 keys are generated (async keygen)', async () => {
    const order: string[] = [];
    const started = Date.now();
    const rsa4096 = t.client
      .generateKey({ serial: t.serial, objectId: newObjectId(), label: 'rsa4096', spec: { kind: 'RSA', bits: 4096 }, policy: POLICY })
      .then(() => order.push('rsa4096'));
    const rsa3072 = t.client
      .generateKey({ serial: t.serial, objectId: newObjectId(), label: 'rsa3072', spec: { kind: 'RSA', bits: 3072 }, policy: POLICY })
      .then(() => order.push('rsa3072'));
    const randoms = Promise.all(Array.from({ length: 5 }, () => t.client.generateRandom({ serial: t.serial, length: 16 }))).then(() => {
      order.push('random');
      return Date.now() - started;
    });
    const randomMs = await randoms;
    await Promise.all([rsa4096, rsa3072]);
    expect(order[0]).toBe('random');
    expect(order).toHaveLength(3);
    expect(randomMs).toBeLessThan(Date.now() - started);
  });

  it('rejects pending calls with HsmError.WorkerCrashed when the worker dies, then relaunches without login', async () => {
    const crashes: WorkerCrashEvent[] = [];
    let restarts = 0;
    t.client.on('crashed', (event) => crashes.push(event));
    t.client.on('restarted', () => restarts++);

    const objectId = newObjectId();
    await t.client.generateKey({ serial: t.serial, objectId, label: 'survivor', spec: { kind: 'EC', curve: 'P-256' }, policy: POLICY });
    const digest = Buffer.alloc(32, 3);
    await t.client.sign({ serial: t.serial, objectId, mechanism: 'ECDSA', data: digest });

    const first = t.launcher.last;
    const pid = t.client.workerPid;
    expect(pid).toBe(first.channel.pid);
    const pending = t.client.generateKey({
      serial: t.serial,
      objectId: newObjectId(),
      label: 'interrupted',
      spec: { kind: 'RSA', bits: 4096 },
      policy: POLICY,
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.kill(pid ?? -1, 'SIGKILL');

    const error = await caught(pending);
    expect(error.code).toBe('HsmError.WorkerCrashed');
    expect(await first.exit).toMatchObject({ signal: 'SIGKILL' });
    expect(crashes).toHaveLength(1);
    expect(crashes[0]).toMatchObject({ reason: 'exit', signal: 'SIGKILL' });
    expect(crashes[0]?.failedCalls).toBeGreaterThanOrEqual(1);

    // The next call starts a new worker: same token, no login (the PIN was never kept).
    expect(await t.client.isLoggedIn({ serial: t.serial })).toBe(false);
    expect(restarts).toBe(1);
    expect(t.launcher.launched).toHaveLength(2);
    expect(t.client.workerPid).not.toBe(pid);
    expect((await caught(t.client.sign({ serial: t.serial, objectId, mechanism: 'ECDSA', data: digest }))).code).toBe(
      'Forbidden.KeyStoreState',
    );

    await t.client.login({ serial: t.serial, userPin: USER_PIN });
    // Handles from the old process are meaningless here; the key is found again by CKA_ID.
    expect(await t.client.sign({ serial: t.serial, objectId, mechanism: 'ECDSA', data: digest })).toHaveLength(64);
  });

  it('times out a call, kills the stuck worker and recovers on the next call', async () => {
    const crashes: WorkerCrashEvent[] = [];
    t.client.on('crashed', (event) => crashes.push(event));
    const impatient = new HsmModuleClient(t.fixture.moduleSpec, { launcher: t.launcher, slowCallTimeoutMs: 100 });
    const crashesOfImpatient: WorkerCrashEvent[] = [];
    impatient.on('crashed', (event) => crashesOfImpatient.push(event));
    try {
      await impatient.login({ serial: t.serial, userPin: USER_PIN });
      const error = await caught(
        impatient.generateKey({ serial: t.serial, objectId: newObjectId(), label: 'slow', spec: { kind: 'RSA', bits: 4096 }, policy: POLICY }),
      );
      expect(error.code).toBe('HsmError.DeviceError');
      expect(error.message).toMatch(/no answer/);
      await t.launcher.last.exit;
      expect(crashesOfImpatient).toMatchObject([{ reason: 'timeout' }]);
      expect(await impatient.generateRandom({ serial: t.serial, length: 8 })).toHaveLength(8);
    } finally {
      await impatient.close();
    }
    expect(crashes).toHaveLength(0); // another client's worker is not ours
  });

  it('closes cleanly: C_Finalize and exit code 0, no crash event, no further calls', async () => {
    const fixture = await createSoftHsmFixture();
    const launcher = new RecordingLauncher();
    const client = new HsmModuleClient(fixture.moduleSpec, { launcher });
    let crashed = false;
    client.on('crashed', () => (crashed = true));
    try {
      await client.listSlots();
      await client.close();
      expect(await launcher.last.exit).toEqual({ code: 0, signal: null });
      expect(crashed).toBe(false);
      expect((await caught(client.listSlots())).code).toBe('HsmError.Generic');
    } finally {
      await fixture.cleanup();
    }
  });

  it('keeps one client per module spec and reports lost clients', async () => {
    const launcher = new RecordingLauncher();
    const modules = new HsmModules(launcher);
    const other = await createSoftHsmFixture();
    try {
      const a = modules.client(t.fixture.moduleSpec);
      expect(modules.client({ path: t.fixture.moduleSpec.path, env: { ...t.fixture.moduleSpec.env } })).toBe(a);
      const b = modules.client(other.moduleSpec);
      expect(b).not.toBe(a);

      const lost: HsmModuleClient[] = [];
      modules.onClientLost((client) => lost.push(client));
      await b.listSlots();
      launcher.last.channel.kill();
      await launcher.last.exit;
      expect(lost).toEqual([b]);

      await a.listSlots();
      await modules.closeAll();
      const exits = await Promise.all(launcher.launched.map((l) => l.exit));
      expect(exits.at(-1)).toEqual({ code: 0, signal: null });
      expect(lost).toEqual([b]);
    } finally {
      await modules.closeAll();
      await other.cleanup();
    }
  });
});
