/**
 * A few R/W sessions per token. A PKCS#11 session runs one operation at a time and the async
 * pkcs11js calls run on libuv threads, so every request borrows a session for its whole
 * Init+Final sequence. A session whose operation failed half-way may still have the operation
 * active (SoftHSM leaves it so after CKR_ARGUMENTS_BAD), so such sessions are closed, not reused.
 * Login state lives in the token's anchor session, which this pool never closes.
 */
import { hsmFail } from '../failure';
import type { PKCS11, Session, SlotHandle } from './pkcs11';
import { pkcs11js } from './pkcs11';

interface Waiter {
  resolve: (session: Session) => void;
  reject: (error: Error) => void;
}

export class SessionPool {
  private readonly idle: Session[] = [];
  private readonly waiters: Waiter[] = [];
  private openCount = 0;
  private closed = false;

  constructor(
    private readonly p11: PKCS11,
    private readonly slot: SlotHandle,
    private readonly maxSessions = 4,
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
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
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
