import { describe, expect, it, vi } from 'vitest';
import {
  AuditBacklogFullError,
  AuditSecretError,
  AuditWriterClosedError,
  createBufferedAuditWriter,
  type PendingAuditRecord,
  type AuditSink,
} from '../../../electron/main/registry';
import { freshRegistryPerTest, usageEvent } from '../../unit/registry/support';

const fresh = freshRegistryPerTest();

/** The real fresh.registry underneath, with a record of each batch (and optional injected failures). */
function observedSink(failures = 0): AuditSink & { batches: number[] } {
  let remainingFailures = failures;
  const batches: number[] = [];
  return {
    batches,
    audit: {
      appendPending(records: readonly PendingAuditRecord[]) {
        if (remainingFailures > 0) {
          remainingFailures -= 1;
          throw new Error('disk I/O error');
        }
        batches.push(records.length);
        return fresh.registry.audit.appendPending(records);
      },
    },
    onClose: (hook) => fresh.registry.onClose(hook),
  };
}

/** What another process would see: committed records only. */
function committed(): number {
  const db = fresh.scratch.raw();
  const row = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_events').get();
  db.close();
  return row?.n ?? 0;
}

describe('buffered audit writer', () => {
  it('writes a batch as soon as it is full, one transaction per batch', async () => {
    const sink = observedSink();
    const writer = createBufferedAuditWriter(sink, { maxBatch: 256, maxDelayMs: 60_000 });
    for (let index = 0; index < 1000; index += 1) writer.enqueue(usageEvent(index));
    expect(sink.batches).toEqual([256, 256, 256]);
    expect(committed()).toBe(768);
    expect(writer.pending).toBe(232);
    await writer.flush();
    expect(sink.batches).toEqual([256, 256, 256, 232]);
    expect(committed()).toBe(1000);
    expect(fresh.registry.audit.verify()).toMatchObject({ valid: true, checkedRecords: 1000 });
    await writer.close();
  });

  it('writes a partial batch after maxDelayMs', async () => {
    const sink = observedSink();
    const writer = createBufferedAuditWriter(sink, { maxBatch: 256, maxDelayMs: 30 });
    writer.enqueue(usageEvent(1));
    writer.enqueue(usageEvent(2));
    expect(committed()).toBe(0);
    await vi.waitFor(() => expect(committed()).toBe(2), { timeout: 5000, interval: 10 });
    expect(sink.batches).toEqual([2]);
    expect(writer.pending).toBe(0);
    await writer.close();
  });

  it('flushes on close and then refuses new records', async () => {
    const writer = createBufferedAuditWriter(fresh.registry, { maxBatch: 256, maxDelayMs: 60_000 });
    for (let index = 0; index < 3; index += 1) writer.enqueue(usageEvent(index));
    await writer.close();
    expect(committed()).toBe(3);
    expect(() => writer.enqueue(usageEvent(4))).toThrow(AuditWriterClosedError);
    await writer.close();
  });

  it('flushes queued records when the fresh.registry closes first', () => {
    const writer = createBufferedAuditWriter(fresh.registry, { maxBatch: 256, maxDelayMs: 60_000 });
    writer.enqueue(usageEvent(1));
    writer.enqueue(usageEvent(2));
    fresh.registry.close();
    const reopened = fresh.scratch.open();
    expect(reopened.audit.verify()).toMatchObject({ valid: true, checkedRecords: 2 });
    expect(() => writer.enqueue(usageEvent(3))).toThrow(AuditWriterClosedError);
  });

  it('interleaves with durable appends and keeps one valid chain, timed at enqueue', async () => {
    const writer = createBufferedAuditWriter(fresh.registry, { maxBatch: 4, maxDelayMs: 60_000 });
    const enqueuedAt = new Date().toISOString();
    writer.enqueue(usageEvent(1));
    writer.enqueue(usageEvent(2));
    fresh.registry.transaction(() => fresh.registry.audit.append(usageEvent(3, { operation: 'DisableKey' })));
    for (let index = 4; index < 10; index += 1) writer.enqueue(usageEvent(index));
    await writer.flush();
    const rows = fresh.registry.audit.listRange(1, 100);
    expect(rows.map((row) => row.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // The durable record went first; usage records keep the time they were enqueued.
    expect(rows[0]?.operation).toBe('DisableKey');
    expect(rows[1]?.requestId).toBe('req-1');
    expect(rows[1]!.time >= enqueuedAt).toBe(true);
    expect(rows[1]!.time <= rows[0]!.time).toBe(true);
    expect(fresh.registry.audit.verify()).toMatchObject({ valid: true, checkedRecords: 9 });
    await writer.close();
  });

  it('rejects a secret at enqueue, without poisoning the batch', async () => {
    const writer = createBufferedAuditWriter(fresh.registry, { maxBatch: 256, maxDelayMs: 60_000 });
    writer.enqueue(usageEvent(1));
    expect(() => writer.enqueue(usageEvent(2, { details: { Plaintext: 'aGVsbG8=' } }))).toThrow(AuditSecretError);
    expect(writer.pending).toBe(1);
    await writer.close();
    expect(committed()).toBe(1);
  });

  it('keeps records queued when a write fails and retries them on the timer', async () => {
    const errors: unknown[] = [];
    const sink = observedSink(1);
    const writer = createBufferedAuditWriter(sink, { maxBatch: 2, maxDelayMs: 20, onError: (error) => errors.push(error) });
    writer.enqueue(usageEvent(1));
    writer.enqueue(usageEvent(2));
    expect(errors).toHaveLength(1);
    expect(writer.pending).toBe(2);
    // While backing off, a full batch does not retry on every record (each try may block on the lock).
    writer.enqueue(usageEvent(3));
    writer.enqueue(usageEvent(4));
    expect(sink.batches).toEqual([]);
    await vi.waitFor(() => expect(committed()).toBe(4), { timeout: 5000, interval: 10 });
    expect(fresh.registry.audit.listRange(1, 10).map((row) => row.requestId)).toEqual(['req-1', 'req-2', 'req-3', 'req-4']);
    await writer.close();
  });

  it('rejects flush() when the write fails, and succeeds on the next try', async () => {
    const writer = createBufferedAuditWriter(observedSink(1), { maxBatch: 100, maxDelayMs: 60_000, onError: () => undefined });
    writer.enqueue(usageEvent(1));
    await expect(writer.flush()).rejects.toThrow('disk I/O error');
    expect(writer.pending).toBe(1);
    await writer.flush();
    expect(committed()).toBe(1);
    await writer.close();
  });

  it('fails the caller instead of growing without bound while the database refuses writes', async () => {
    const writer = createBufferedAuditWriter(observedSink(1000), { maxBatch: 2, maxDelayMs: 60_000, maxQueued: 4, onError: () => undefined });
    for (let index = 0; index < 4; index += 1) writer.enqueue(usageEvent(index));
    expect(() => writer.enqueue(usageEvent(5))).toThrow(AuditBacklogFullError);
    await expect(writer.close()).rejects.toThrow('disk I/O error');
  });

  it('rejects nonsensical options', () => {
    expect(() => createBufferedAuditWriter(fresh.registry, { maxBatch: 0 })).toThrow(RangeError);
    expect(() => createBufferedAuditWriter(fresh.registry, { maxDelayMs: -1 })).toThrow(RangeError);
  });

  it('records usage far faster than one durable transaction per record', async () => {
    const count = 20_000;
    const writer = createBufferedAuditWriter(fresh.registry);
    const started = performance.now();
    for (let index = 0; index < count; index += 1) writer.enqueue(usageEvent(index));
    await writer.flush();
    const buffered = performance.now() - started;

    const single = 200;
    const startedSingle = performance.now();
    for (let index = 0; index < single; index += 1) fresh.registry.audit.append(usageEvent(index));
    const perRecordDurable = (performance.now() - startedSingle) / single;
    const perRecordBuffered = buffered / count;
    console.log(
      `audit usage: ${Math.round(count / (buffered / 1000))} records/s buffered, ` +
        `${Math.round(1000 / perRecordDurable)} records/s one transaction each`,
    );
    expect(perRecordBuffered * 3).toBeLessThan(perRecordDurable);
    expect(fresh.registry.audit.verify()).toMatchObject({ valid: true, checkedRecords: count + single });
    await writer.close();
  });
});
