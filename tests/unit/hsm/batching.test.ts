import { describe, expect, it } from 'vitest';
import { createOutbox, forEachMessage, MAX_BATCH } from '../../../electron/main/hsm/batching';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('message batching between the main process and a worker', () => {
  it('sends what one event-loop turn queued as one batch, in order, once the turn ends', async () => {
    const batches: number[][] = [];
    const outbox = createOutbox<number>((batch) => batches.push(batch));
    outbox.push(1);
    outbox.push(2);
    outbox.push(3);
    expect(batches).toEqual([]);
    await nextTurn();
    expect(batches).toEqual([[1, 2, 3]]);
    outbox.push(4);
    await nextTurn();
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it(`sends at once when ${MAX_BATCH} messages wait, so the other side can start on them`, async () => {
    const batches: number[][] = [];
    const outbox = createOutbox<number>((batch) => batches.push(batch));
    for (let i = 0; i < MAX_BATCH + 2; i++) outbox.push(i);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(MAX_BATCH);
    await nextTurn();
    expect(batches.flat()).toEqual(Array.from({ length: MAX_BATCH + 2 }, (_, i) => i));
  });

  it('drain hands over what waits (the last answer before exit goes with it) and nothing is sent twice', async () => {
    const batches: number[][] = [];
    const outbox = createOutbox<number>((batch) => batches.push(batch));
    outbox.push(1);
    expect(outbox.drain()).toEqual([1]);
    await nextTurn();
    expect(batches).toEqual([]);
  });

  it('reads a batch item by item and a single message as itself', () => {
    const seen: unknown[] = [];
    forEachMessage([{ id: 1 }, { id: 2 }], (message) => seen.push(message));
    forEachMessage({ id: 3 }, (message) => seen.push(message));
    expect(seen).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });
});
