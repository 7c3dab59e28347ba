import { afterEach, describe, expect, it, vi } from 'vitest';
import { HsmModuleClient, type WorkerCrashEvent } from '../../../electron/main/hsm/client';
import { ckrOf, HsmError } from '../../../electron/main/hsm/hsm-error';
import { HSM_METHODS, type WorkerRequest, type WorkerResponse } from '../../../electron/main/hsm/protocol';
import type { WorkerChannel, WorkerExitInfo, WorkerLauncher } from '../../../electron/main/hsm/worker-launcher';
import { KmsError } from '../../../shared/errors';

/** An in-memory worker: the test plays the worker's side of the channel. */
class FakeWorker implements WorkerChannel {
  readonly pid = 4242;
  readonly received: WorkerRequest[] = [];
  killed = false;
  private messageListener: ((message: unknown) => void) | null = null;
  private exitListener: ((info: WorkerExitInfo) => void) | null = null;

  constructor(private readonly autoAnswer: (request: WorkerRequest) => WorkerResponse | null) {}

  send(message: WorkerRequest): void {
    this.received.push(message);
    const answer = this.autoAnswer(message);
    if (answer) queueMicrotask(() => this.reply(answer));
    if (message.method === 'shutdown') queueMicrotask(() => this.exit({ code: 0, signal: null }));
  }
  onMessage(listener: (message: unknown) => void): void {
    this.messageListener = listener;
  }
  onExit(listener: (info: WorkerExitInfo) => void): void {
    this.exitListener = listener;
  }
  kill(): void {
    this.killed = true;
    queueMicrotask(() => this.exit({ code: null, signal: 'SIGKILL' }));
  }
  reply(response: WorkerResponse): void {
    this.messageListener?.(response);
  }
  exit(info: WorkerExitInfo): void {
    const listener = this.exitListener;
    this.exitListener = null;
    listener?.(info);
  }
}

function launcherOf(answer: (request: WorkerRequest) => WorkerResponse | null): WorkerLauncher & { workers: FakeWorker[]; envs: Record<string, string>[] } {
  const workers: FakeWorker[] = [];
  const envs: Record<string, string>[] = [];
  return {
    workers,
    envs,
    launch(env) {
      envs.push(env);
      const worker = new FakeWorker(answer);
      workers.push(worker);
      return worker;
    },
  };
}

const ok = (request: WorkerRequest, result: unknown = null): WorkerResponse => ({ id: request.id, ok: true, result });
const spec = { path: '/usr/lib/libfake.so', env: { SOFTHSM2_CONF: '/tmp/x.conf' } };

afterEach(() => {
  vi.useRealTimers();
});

describe('HsmModuleClient', () => {
  it('launches lazily with the module env, opens the library first and correlates answers', async () => {
    const launcher = launcherOf((r) => (r.method === 'generateRandom' ? ok(r, new Uint8Array([1, 2, 3])) : ok(r, r.method === 'open' ? {} : true)));
    const client = new HsmModuleClient(spec, { launcher });
    expect(launcher.workers).toHaveLength(0);
    const [random, loggedIn] = await Promise.all([
      client.generateRandom({ serial: 's', length: 3 }),
      client.isLoggedIn({ serial: 's' }),
    ]);
    expect(Buffer.isBuffer(random)).toBe(true); // Uint8Array from a structured clone becomes a Buffer
    expect(loggedIn).toBe(true);
    expect(launcher.envs).toEqual([spec.env]);
    expect(launcher.workers[0]?.received.map((r) => r.method)).toEqual(['open', 'generateRandom', 'isLoggedIn']);
    expect(launcher.workers[0]?.received[0]?.args).toEqual({ path: spec.path });
    await client.close();
  });

  it('offers every token method of the protocol table, generated as typed calls', async () => {
    const launcher = launcherOf((r) => ok(r, r.method === 'keyExists' ? true : null));
    const client = new HsmModuleClient(spec, { launcher });
    for (const method of HSM_METHODS) {
      const expected = method === 'open' || method === 'shutdown' ? 'undefined' : 'function';
      expect(typeof (client as unknown as Record<string, unknown>)[method], method).toBe(expected);
    }
    expect(await client.keyExists({ serial: 's', objectId: 'ab' })).toBe(true);
    expect(await client.call('keyExists', { serial: 's', objectId: 'cd' })).toBe(true);
    await client.listSlots();
    expect(launcher.workers[0]?.received.slice(1).map((r) => [r.method, r.args])).toEqual([
      ['keyExists', { serial: 's', objectId: 'ab' }],
      ['keyExists', { serial: 's', objectId: 'cd' }],
      ['listSlots', {}],
    ]);
    expect(client).toBeInstanceOf(HsmModuleClient);
    await client.close();
  });

  it('rethrows worker failures as KmsError with the mapped code and the CKR', async () => {
    const launcher = launcherOf((r) =>
      r.method === 'login'
        ? { id: r.id, ok: false, failure: { code: 'HsmError.PinIncorrect', ckr: 'CKR_PIN_INCORRECT', message: 'login: the PIN is incorrect (CKR_PIN_INCORRECT)' } }
        : r.method === 'logout'
          ? { id: r.id, ok: false, failure: { code: 'Something.Unknown', ckr: null, message: 'odd' } }
          : ok(r),
    );
    const client = new HsmModuleClient(spec, { launcher });
    const error = await client.login({ serial: 's', userPin: '1234' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KmsError);
    // An HsmError, so services read the CKR name through ckrOf() instead of casting.
    expect(error).toBeInstanceOf(HsmError);
    expect(ckrOf(error)).toBe('CKR_PIN_INCORRECT');
    expect(error).toMatchObject({ code: 'HsmError.PinIncorrect', ckr: 'CKR_PIN_INCORRECT' });
    await expect(client.logout({ serial: 's' })).rejects.toMatchObject({ code: 'HsmError.Generic' });
    await client.close();
  });

  it('fails pending calls with HsmError.WorkerCrashed on a crash and relaunches on the next call', async () => {
    const launcher = launcherOf((r) => (r.method === 'open' || r.method === 'listSlots' ? ok(r, []) : null));
    const client = new HsmModuleClient(spec, { launcher });
    const crashes: WorkerCrashEvent[] = [];
    let restarts = 0;
    client.on('crashed', (e) => crashes.push(e));
    client.on('restarted', () => restarts++);

    const pending = client.sign({ serial: 's', objectId: 'a'.repeat(32), mechanism: 'ECDSA', data: Buffer.alloc(32) });
    await Promise.resolve();
    launcher.workers[0]?.exit({ code: null, signal: 'SIGSEGV' });
    await expect(pending).rejects.toMatchObject({ code: 'HsmError.WorkerCrashed' });
    expect(crashes).toEqual([{ reason: 'exit', code: null, signal: 'SIGSEGV', failedCalls: 1, workerPid: 4242 }]);
    expect(restarts).toBe(0);

    await expect(client.listSlots()).resolves.toEqual([]);
    expect(launcher.workers).toHaveLength(2);
    expect(restarts).toBe(1);
    await client.close();
  });

  it('times out a silent call, kills the worker and reports reason "timeout"', async () => {
    vi.useFakeTimers();
    const launcher = launcherOf((r) => (r.method === 'open' ? ok(r, {}) : null));
    const client = new HsmModuleClient(spec, { launcher, callTimeoutMs: 1000, slowCallTimeoutMs: 5000 });
    const crashes: WorkerCrashEvent[] = [];
    client.on('crashed', (e) => crashes.push(e));
    const fast = client.generateRandom({ serial: 's', length: 1 }).catch((e: unknown) => e);
    const slow = client.generateKey({ serial: 's', objectId: 'a'.repeat(32), label: 'k', spec: { kind: 'AES', bits: 128 }, policy: { wrapWithTrusted: false, extractable: false } }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1001);
    expect(await fast).toMatchObject({ code: 'HsmError.DeviceError' });
    expect(launcher.workers[0]?.killed).toBe(true);
    // The kill ends the worker: the slow call fails as a crash, and one crash event says why.
    expect(await slow).toMatchObject({ code: 'HsmError.WorkerCrashed' });
    expect(crashes).toMatchObject([{ reason: 'timeout', failedCalls: 1 }]);
    await client.close();
  });

  it('recycles the worker after CKR_DEVICE_ERROR (p11-kit needs a fresh C_Initialize)', async () => {
    const launcher = launcherOf((r) =>
      r.method === 'sign'
        ? { id: r.id, ok: false, failure: { code: 'HsmError.DeviceError', ckr: 'CKR_DEVICE_ERROR', message: 'sign: the device reported an error (CKR_DEVICE_ERROR)' } }
        : ok(r, {}),
    );
    const client = new HsmModuleClient(spec, { launcher });
    const crashes: WorkerCrashEvent[] = [];
    client.on('crashed', (e) => crashes.push(e));
    await expect(client.sign({ serial: 's', objectId: 'a'.repeat(32), mechanism: 'ECDSA', data: Buffer.alloc(32) })).rejects.toMatchObject({
      code: 'HsmError.DeviceError',
    });
    await vi.waitFor(() => expect(crashes).toHaveLength(1));
    expect(crashes[0]?.reason).toBe('device-error');
    expect(launcher.workers[0]?.received.at(-1)?.method).toBe('shutdown');
    await client.close();
  });

  it('closes with a shutdown request, reports no crash, and refuses later calls', async () => {
    const launcher = launcherOf((r) => ok(r, r.method === 'open' ? {} : []));
    const client = new HsmModuleClient(spec, { launcher });
    let crashed = false;
    client.on('crashed', () => (crashed = true));
    await client.listSlots();
    await client.close();
    expect(launcher.workers[0]?.received.at(-1)?.method).toBe('shutdown');
    expect(crashed).toBe(false);
    await expect(client.listSlots()).rejects.toBeInstanceOf(KmsError);
    expect(launcher.workers).toHaveLength(1);
  });

  it('turns a launcher that throws into HsmError.WorkerCrashed', async () => {
    const client = new HsmModuleClient(spec, {
      launcher: {
        launch() {
          throw new Error('spawn failed');
        },
      },
    });
    await expect(client.listSlots()).rejects.toMatchObject({ code: 'HsmError.WorkerCrashed' });
  });
});
