/**
 * HsmModuleClient: the main-process handle on one PKCS#11 module. Every call goes to the module's
 * worker process (started lazily through an injected WorkerLauncher), is correlated by id and
 * bounded by a timeout. When the worker dies, pending calls fail with HsmError.WorkerCrashed and
 * 'crashed' is emitted: the new worker has no sessions and no login (PINs are never kept), so
 * services must treat the module's key stores as disconnected. The next call relaunches it and
 * emits 'restarted'.
 */
import { EventEmitter } from 'node:events';
import { ERROR_CODES, KmsError, type ErrorCode } from '../../../shared/errors';
import { ckrOf, HsmError } from './hsm-error';
import {
  HSM_METHODS,
  isSlowMethod,
  parseResponse,
  type HsmArgs,
  type HsmCallResult,
  type HsmMethod,
  type HsmResult,
  type TokenMethod,
  type WorkerRequest,
} from './protocol';
import type { WorkerChannel, WorkerExitInfo, WorkerLauncher } from './worker-launcher';
import type { HsmFailure, ModuleSpec } from './types';

export interface HsmModuleClientOptions {
  launcher: WorkerLauncher;
  /** Per-call timeout; default 30 s. */
  callTimeoutMs?: number;
  /** Timeout for key generation and token initialization; default 120 s (RSA-4096 on slow HSMs). */
  slowCallTimeoutMs?: number;
  /** How long close() waits for a clean C_Finalize before killing; default 10 s. */
  shutdownTimeoutMs?: number;
  /** Worker start plus library load and C_Initialize; default 60 s (network HSMs can be slow to answer). */
  startTimeoutMs?: number;
}

export type WorkerCrashReason = 'exit' | 'timeout' | 'device-error';

export interface WorkerCrashEvent extends WorkerExitInfo {
  reason: WorkerCrashReason;
  /** Calls that were rejected with HsmError.WorkerCrashed. */
  failedCalls: number;
  /** Process id of the worker that ended: logins made through a later worker are not lost. */
  workerPid?: number;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface Worker {
  channel: WorkerChannel;
  pending: Map<number, Pending>;
  exited: Promise<void>;
  /** Set when we ended the worker ourselves, so its exit is reported with this reason. */
  endReason: WorkerCrashReason | 'closed' | null;
}

type ClientEvent = 'crashed' | 'restarted';
type ClientListener = ((info: WorkerCrashEvent) => void) | (() => void);

function hsmError(failure: HsmFailure): HsmError {
  const code: ErrorCode = (ERROR_CODES as readonly string[]).includes(failure.code)
    ? (failure.code as ErrorCode)
    : 'HsmError.Generic';
  return new HsmError(code, failure.message, failure.ckr);
}

class ModuleClient {
  readonly spec: ModuleSpec;
  private readonly events = new EventEmitter();
  private readonly callTimeoutMs: number;
  private readonly slowCallTimeoutMs: number;
  private readonly shutdownTimeoutMs: number;
  private readonly startTimeoutMs: number;
  private worker: Worker | null = null;
  private nextId = 1;
  private crashedSinceLaunch = false;
  private closed = false;

  constructor(
    spec: ModuleSpec,
    private readonly options: HsmModuleClientOptions,
  ) {
    this.spec = { path: spec.path, env: { ...spec.env } };
    this.callTimeoutMs = options.callTimeoutMs ?? 30_000;
    this.slowCallTimeoutMs = options.slowCallTimeoutMs ?? 120_000;
    this.shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
    this.startTimeoutMs = options.startTimeoutMs ?? 60_000;
  }

  /** 'crashed': the worker ended unexpectedly (logins lost); 'restarted': a new worker was launched after that. */
  on(event: 'crashed', listener: (info: WorkerCrashEvent) => void): this;
  on(event: 'restarted', listener: () => void): this;
  on(event: ClientEvent, listener: ClientListener): this {
    this.events.on(event, listener);
    return this;
  }

  off(event: 'crashed', listener: (info: WorkerCrashEvent) => void): this;
  off(event: 'restarted', listener: () => void): this;
  off(event: ClientEvent, listener: ClientListener): this {
    this.events.off(event, listener);
    return this;
  }

  /** Process id of the running worker, if any (for diagnostics and crash tests). */
  get workerPid(): number | undefined {
    return this.worker?.channel.pid;
  }

  /** Finalizes the module and ends the worker; the client cannot be used afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stopWorker('closed');
  }

  /** Ends the worker cleanly (C_Finalize) and reports it as crashed, so logins are re-established. */
  /** `graceMs` bounds the wait for C_Finalize: a worker stuck in a call to a hung network HSM never answers. */
  async recycle(reason: WorkerCrashReason = 'device-error', graceMs = this.shutdownTimeoutMs): Promise<void> {
    await this.stopWorker(reason, graceMs);
  }

  private async stopWorker(reason: WorkerCrashReason | 'closed', graceMs = this.shutdownTimeoutMs): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    worker.endReason = reason;
    const timer = setTimeout(() => worker.channel.kill(), graceMs);
    try {
      this.send(worker, 'shutdown', {}, graceMs).catch(() => undefined);
      await worker.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends one call to the worker (starting it if needed), bounded by the method's timeout. */
  async call<M extends TokenMethod>(method: M, args: HsmArgs<M>): Promise<HsmResult<M>> {
    if (this.closed) throw new HsmError('HsmError.Generic', `${method}: the HSM module client is closed`);
    const worker = this.ensureWorker();
    const timeout = isSlowMethod(method) ? this.slowCallTimeoutMs : this.callTimeoutMs;
    try {
      return (await this.send(worker, method, args, timeout)) as HsmResult<M>;
    } catch (error) {
      // p11-kit's client answers CKR_DEVICE_ERROR forever once its server went away; only a fresh
      // C_Initialize recovers, i.e. a new worker.
      if (ckrOf(error) === 'CKR_DEVICE_ERROR' && this.worker === worker) {
        void this.recycle('device-error');
      }
      throw error;
    }
  }

  private send(worker: Worker, method: HsmMethod, args: unknown, timeoutMs: number): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!worker.pending.delete(id)) return;
        reject(new HsmError('HsmError.DeviceError', `${method}: no answer from the HSM within ${Math.round(timeoutMs / 1000)} s`));
        // A call stuck inside the module cannot be cancelled; a fresh worker is the only way out.
        if (!worker.endReason) {
          worker.endReason = 'timeout';
          worker.channel.kill();
        }
      }, timeoutMs);
      worker.pending.set(id, { resolve, reject, timer });
      try {
        const request: WorkerRequest = { id, method, args } as WorkerRequest;
        worker.channel.send(request);
      } catch {
        // The channel is already gone: the exit handler rejects this call with WorkerCrashed.
        worker.channel.kill();
      }
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    let channel: WorkerChannel;
    try {
      channel = this.options.launcher.launch(this.spec.env);
    } catch (error) {
      // A launcher's own refusal (a module environment outside the allowlist) says why.
      if (error instanceof KmsError) throw error;
      throw new HsmError('HsmError.WorkerCrashed', 'the HSM worker process could not be started');
    }
    let markExited: () => void = () => undefined;
    const worker: Worker = {
      channel,
      pending: new Map(),
      exited: new Promise((resolve) => (markExited = resolve)),
      endReason: null,
    };
    this.worker = worker;
    channel.onMessage((message) => this.onMessage(worker, message));
    channel.onExit((info) => {
      this.onExit(worker, info);
      markExited();
    });
    // The worker loads the library first; a load failure comes back on every later call too.
    this.send(worker, 'open', { path: this.spec.path }, this.startTimeoutMs).catch(() => undefined);
    if (this.crashedSinceLaunch) {
      this.crashedSinceLaunch = false;
      this.events.emit('restarted');
    }
    return worker;
  }

  private onMessage(worker: Worker, message: unknown): void {
    const response = parseResponse(message);
    if (!response) return;
    const pending = worker.pending.get(response.id);
    if (!pending) return; // answered after its timeout
    worker.pending.delete(response.id);
    clearTimeout(pending.timer);
    if (response.ok) pending.resolve(response.result);
    else pending.reject(hsmError(response.failure));
  }

  private onExit(worker: Worker, info: WorkerExitInfo): void {
    if (this.worker === worker) this.worker = null;
    const failed = [...worker.pending.values()];
    worker.pending.clear();
    for (const pending of failed) {
      clearTimeout(pending.timer);
      pending.reject(new HsmError('HsmError.WorkerCrashed', 'the HSM worker process ended; the call was not completed'));
    }
    if (worker.endReason === 'closed') return;
    this.crashedSinceLaunch = true;
    const event: WorkerCrashEvent = {
      reason: worker.endReason ?? 'exit',
      ...info,
      failedCalls: failed.length,
      ...(worker.channel.pid !== undefined ? { workerPid: worker.channel.pid } : {}),
    };
    this.events.emit('crashed', event);
  }
}

/**
 * One method per token method of the protocol table, each a typed `call`: methods without
 * arguments take none, and those answering null (done, nothing to return) resolve to void.
 */
export type HsmCalls = {
  [M in TokenMethod]: (
    ...args: HsmArgs<M> extends Record<string, never> ? [] : [HsmArgs<M>]
  ) => Promise<HsmCallResult<M>>;
};

for (const name of HSM_METHODS) {
  if (name === 'open' || name === 'shutdown') continue;
  Object.defineProperty(ModuleClient.prototype, name, {
    value(this: ModuleClient, args?: HsmArgs<typeof name>) {
      return this.call(name, args ?? {});
    },
  });
}

/** The client: `call(method, args)` plus the generated per-method calls (`client.sign({...})`). */
export type HsmModuleClient = ModuleClient & HsmCalls;
export const HsmModuleClient = ModuleClient as new (spec: ModuleSpec, options: HsmModuleClientOptions) => HsmModuleClient;
