import { describe, expect, it } from 'vitest';
import { HsmOpError } from '../../../electron/main/hsm/worker/failure';
import type { PKCS11, SlotHandle } from '../../../electron/main/hsm/worker/pkcs11';
import { SessionPool, sessionPoolSize, workerThreads } from '../../../electron/main/hsm/worker/session-pool';

/** Just the two calls the pool makes; sessions are numbered buffers. */
function fakeModule(): PKCS11 & { opened: number } {
  const module = {
    opened: 0,
    C_OpenSession: () => Buffer.from([++module.opened]),
    C_CloseSession: () => undefined,
  };
  return module as unknown as PKCS11 & { opened: number };
}

describe('session pool sizing', () => {
  it('follows the token limit, less the anchor session, up to the worker threads', () => {
    expect(sessionPoolSize(2, 4)).toBe(1);
    expect(sessionPoolSize(3, 4)).toBe(2);
    expect(sessionPoolSize(1, 4)).toBe(1);
    expect(sessionPoolSize(100, 4)).toBe(4);
    expect(sessionPoolSize(100, 8)).toBe(8);
  });

  it('uses the worker threads when the token states no limit or does not know it', () => {
    expect(sessionPoolSize(0, 6)).toBe(6); // CK_EFFECTIVELY_INFINITE
    expect(sessionPoolSize(0xffffffff, 6)).toBe(6); // CK_UNAVAILABLE_INFORMATION
    expect(sessionPoolSize(-1, 6)).toBe(6);
    expect(workerThreads({})).toBe(4);
    expect(workerThreads({ UV_THREADPOOL_SIZE: '12' })).toBe(12);
    expect(workerThreads({ UV_THREADPOOL_SIZE: 'lots' })).toBe(4);
  });
});

describe('session pool wait', () => {
  it('fails a call that waited too long for a session with a typed error, and forgets it', async () => {
    const module = fakeModule();
    const pool = new SessionPool(module, 1 as unknown as SlotHandle, 1, 30);
    const held = await pool.acquire();
    const error = await pool.acquire().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HsmOpError);
    expect((error as HsmOpError).failure).toMatchObject({ code: 'Throttling.HsmSessionsBusy', ckr: null });
    expect(pool.size).toEqual({ open: 1, idle: 0, waiting: 0 });
    pool.release(held, false);
    expect(await pool.acquire()).toBe(held);
    expect(module.opened).toBe(1);
  });

  it('hands a released session to a waiter before its time runs out', async () => {
    const pool = new SessionPool(fakeModule(), 1 as unknown as SlotHandle, 1, 1_000);
    const held = await pool.acquire();
    const waiting = pool.acquire();
    pool.release(held, false);
    expect(await waiting).toBe(held);
    pool.close();
  });
});
