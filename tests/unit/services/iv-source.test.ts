import { describe, expect, it } from 'vitest';
import { IvSource } from '../../../electron/main/services/crypto/iv-source';

describe('IvSource', () => {
  it('gives fresh 12-byte IVs that never repeat, across pool refills; a refill leaves earlier IVs alone', () => {
    const source = new IvSource(12);
    const seen = new Set<string>();
    const first = source.next();
    for (let i = 0; i < 2000; i++) {
      const iv = source.next();
      expect(iv).toHaveLength(12);
      seen.add(iv.toString('hex'));
    }
    expect(seen.size).toBe(2000);
    // A refilled pool must not change an IV handed out before.
    const copy = Buffer.from(first);
    for (let i = 0; i < 400; i++) source.next();
    expect(first.equals(copy)).toBe(true);
  });

  it('refuses a size that does not divide its pool', () => {
    expect(() => new IvSource(7)).toThrow(RangeError);
  });
});
