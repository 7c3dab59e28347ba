/**
 * R/W sessions per token, as many as the token allows and the worker can use at once. A PKCS#11 session runs one operation at a time and the async
 * pkcs11js calls run on libuv threads, so every request borrows a session for its whole
 * Init+Final sequence. A session whose operation failed half-way may still have the operation
 * active (SoftHSM leaves it so after CKR_ARGUMENTS_BAD), so such sessions are closed, not reused.
 * Login state lives in the token's anchor session, which this pool never closes.
 */
import { hsmFail } from './failure';
import type { PKCS11, Session, SlotHandle } from './pkcs11';
import { pkcs11js } from './pkcs11';

interface Waiter {
  resolve: (session: Session) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** CK_TOKEN_INFO's "no limit" (CK_EFFECTIVELY_INFINITE) and "not known" (CK_UNAVAILABLE_INFORMATION). */
const CK_EFFECTIVELY_INFINITE = 0;
const CK_UNAVAILABLE_INFORMATION = 0xffffffff;

/** The async pkcs11js calls run on libuv's thread pool: sessions beyond its threads would only wait. */
export function workerThreads(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env.UV_THREADPOOL_SIZE);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : 4;
}

/**
 * Pool size for a token reporting `maxRwSessionCount` (CK_TOKEN_INFO.ulMaxRwSessionCount). One R/W
 * session is the token's anchor (it holds the login) and lives outside the pool.
 */
export function sessionPoolSize(maxRwSessionCount: number, threads = workerThreads()): number {
  const unlimited =
    !Number.isSafeInteger(maxRwSessionCount) ||
    maxRwSessionCount === CK_EFFECTIVELY_INFINITE ||
    maxRwSessionCount < 0 ||
    maxRwSessionCount >= CK_UNAVAILABLE_INFORMATION;
  if (unlimited) return threads;
  return Math.max(1, Math.min(threads, maxRwSessionCount - 1));
}

/** Below the client's 30 s call timeout, so a long wait fails this call instead of costing the worker. */
export const SESSION_WAIT_TIMEOUT_MS = 20_000;

export class SessionPool {
  private readonly idle: Session[] = [];
  private readonly waiters: Waiter[] = [];
  private openCount = 0;
  private closed = false;

  constructor(
    private readonly p11: PKCS11,
    private readonly slot: SlotHandle,
    readonly maxSessions: number,
    private readonly waitTimeoutMs = SESSION_WAIT_TIMEOUT_MS,
  ) {}

  /** Opens an R/W session on the slot; also used for the token's anchor session. */
  openSession(): Session {
    const { CKF_SERIAL_SESSION, CKF_RW_SESSION } = pkcs11js();
    return this.p11.C_OpenSession(this.slot, CKF_SERIAL_SESSION | CKF_RW_SESSION);
  }

  acquire(): Promise<Session> {
    if (this.closed) return Promise.reject(hsmFail('HsmError.TokenNotPresent', 'the token state was reset'));
    const session = this.idle.pop();
    if (session) return Promise.resolve(session);
    if (this.openCount < this.maxSessions) {
      const opened = this.openSession(); // throws a Pkcs11Error the caller maps
      this.openCount++;
      return Promise.resolve(opened);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (next) => {
          clearTimeout(waiter.timer);
          resolve(next);
        },
        reject: (error) => {
          clearTimeout(waiter.timer);
          reject(error);
        },
        timer: setTimeout(() => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          const seconds = Math.round(this.waitTimeoutMs / 1000);
          reject(hsmFail('Throttling.HsmSessionsBusy', `all ${this.maxSessions} sessions of the token stayed busy for ${seconds} s; the call was not started`));
        }, this.waitTimeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Returns a borrowed session; `discard` closes it because an operation may still be active. */
  release(session: Session, discard: boolean): void {
    if (this.closed || discard) {
      this.closeQuietly(session);
      this.openCount--;
      if (!this.closed) this.serveWaiterWithNewSession();
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(session);
    else this.idle.push(session);
  }

  /** Closes idle sessions now and borrowed ones on release; pending waiters fail. */
  close(): void {
    this.closed = true;
    for (const session of this.idle.splice(0)) {
      this.closeQuietly(session);
      this.openCount--;
    }
    for (const waiter of this.waiters.splice(0)) {
      waiter.reject(hsmFail('HsmError.TokenNotPresent', 'the token state was reset'));
    }
  }

  get size(): { open: number; idle: number; waiting: number } {
    return { open: this.openCount, idle: this.idle.length, waiting: this.waiters.length };
  }

  private serveWaiterWithNewSession(): void {
    const waiter = this.waiters.shift();
    if (!waiter) return;
    try {
      const session = this.openSession();
      this.openCount++;
      waiter.resolve(session);
    } catch (error) {
      waiter.reject(error instanceof Error ? error : new Error('C_OpenSession failed'));
    }
  }

  closeQuietly(session: Session): void {
    try {
      this.p11.C_CloseSession(session);
    } catch {
      // Already invalid (token removed, module reset): nothing left to release.
    }
  }
}
