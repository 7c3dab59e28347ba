import { describe, expect, it } from 'vitest';
import { WriteGate } from '../../../electron/main/services/backup/write-gate';
import { KmsError } from '../../../shared/errors';

/** A promise the test settles when it wants, to hold a piece of work in flight. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending microtask and immediate run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    return error instanceof KmsError ? error.code : `not a KmsError: ${String(error)}`;
  }
}

describe('write gate', () => {
  it('lets shared holders run side by side', async () => {
    const gate = new WriteGate();
    const first = deferred();
    const events: string[] = [];
    const a = gate.shared(async () => {
      events.push('a in');
      await first.promise;
      events.push('a out');
    });
    const b = gate.shared(() => {
      events.push('b in');
      return Promise.resolve();
    });
    await b;
    expect(events).toEqual(['a in', 'b in']);
    first.resolve();
    await a;
    expect(gate.busy).toBe(false);
  });

  it('starts exclusive work only when the shared holders in flight are done, and holds new ones back until it ends', async () => {
    const gate = new WriteGate();
    const events: string[] = [];
    const holder = deferred();
    const snapshot = deferred();
    const inFlight = gate.shared(async () => {
      events.push('change in');
      await holder.promise;
      events.push('change out');
    });
    const backup = gate.exclusive(async () => {
      events.push('snapshot in');
      await snapshot.promise;
      events.push('snapshot out');
      return 'backup';
    });
    await settle();
    expect(gate.busy).toBe(true);
    expect(events).toEqual(['change in']);
    const late = gate.shared(() => {
      events.push('late change');
      return Promise.resolve('late');
    });
    holder.resolve();
    await inFlight;
    await settle();
    expect(events).toEqual(['change in', 'change out', 'snapshot in']);
    snapshot.resolve();
    expect(await backup).toBe('backup');
    expect(await late).toBe('late');
    expect(events).toEqual(['change in', 'change out', 'snapshot in', 'snapshot out', 'late change']);
    expect(gate.busy).toBe(false);
  });

  it('refuses a second exclusive holder while one runs, and takes one again afterwards', async () => {
    const gate = new WriteGate();
    const snapshot = deferred();
    const first = gate.exclusive(() => snapshot.promise);
    expect(await codeOf(gate.exclusive(() => Promise.resolve()))).toBe('Forbidden.BackupInProgress');
    snapshot.resolve();
    await first;
    expect(await gate.exclusive(() => Promise.resolve('again'))).toBe('again');
  });

  it('opens again when the exclusive work or a shared holder fails', async () => {
    const gate = new WriteGate();
    const failing = gate.shared(() => Promise.reject(new Error('change failed')));
    const backup = gate.exclusive(() => Promise.reject(new Error('snapshot failed')));
    await expect(failing).rejects.toThrow('change failed');
    await expect(backup).rejects.toThrow('snapshot failed');
    expect(gate.busy).toBe(false);
    expect(await gate.shared(() => Promise.resolve('after'))).toBe('after');
    expect(await gate.exclusive(() => Promise.resolve('after'))).toBe('after');
  });

  it('once sealed (a restore committed), refuses the holders that waited at the gate and every later one', async () => {
    const gate = new WriteGate();
    const restore = deferred();
    const events: string[] = [];
    const exclusive = gate.exclusive(async () => {
      await restore.promise;
      gate.seal();
    });
    await settle();
    const waiting = gate.shared(() => {
      events.push('maintenance ran');
      return Promise.resolve();
    });
    restore.resolve();
    await exclusive;
    expect(await codeOf(waiting)).toBe('Forbidden.BackupInProgress');
    expect(await codeOf(gate.shared(() => Promise.resolve()))).toBe('Forbidden.BackupInProgress');
    expect(events).toEqual([]);
  });
});
