import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { freshRegistryPerTest, usageEvent } from './support';

const fresh = freshRegistryPerTest();

describe('Registry.changeStamp', () => {
  it('moves at once on a write of this connection', () => {
    const before = fresh.registry.changeStamp();
    expect(fresh.registry.changeStamp()).toBe(before);
    fresh.registry.audit.append(usageEvent(1));
    expect(fresh.registry.changeStamp()).not.toBe(before);
  });

  it('moves at once on a commit of another registry of this process', () => {
    const before = fresh.registry.changeStamp();
    const second = fresh.scratch.open();
    try {
      expect(fresh.registry.changeStamp()).not.toBe(before);
      const opened = fresh.registry.changeStamp();
      second.audit.append(usageEvent(1));
      expect(fresh.registry.changeStamp()).not.toBe(opened);
    } finally {
      second.close();
    }
  });

  it('moves on the next event-loop turn after another process commits', async () => {
    const before = fresh.registry.changeStamp();
    const other = fresh.scratch.raw(); // a bare connection, as another process has
    try {
      other.prepare("INSERT INTO meta (key, value) VALUES ('elsewhere', '1')").run();
      // Within the turn that read it, the other connection's commit is not looked for again.
      expect(fresh.registry.changeStamp()).toBe(before);
      await nextTurn();
      expect(fresh.registry.changeStamp()).not.toBe(before);
    } finally {
      other.close();
    }
  });
});
