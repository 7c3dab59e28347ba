import { describe, expect, it } from 'vitest';
import { ANCHOR_FORMAT, anchorMacInput, decodeAnchor, encodeAnchor } from '../../../electron/main/services/audit/anchor-codec';

const anchor = { sequence: 42, hash: 'ab'.repeat(32), time: '2026-12-06T10:00:00.000Z' };
const mac = Buffer.alloc(32, 0x5a);

describe('audit anchor encoding', () => {
  it('round-trips an anchor and its MAC', () => {
    expect(decodeAnchor(encodeAnchor(anchor, mac))).toEqual({ anchor, mac });
  });

  it('MACs exactly the format tag and the three fields, one per line', () => {
    expect(anchorMacInput(anchor).toString('utf8')).toBe(`${ANCHOR_FORMAT}\n42\n${'ab'.repeat(32)}\n2026-12-06T10:00:00.000Z`);
    expect(anchorMacInput({ ...anchor, sequence: 43 }).equals(anchorMacInput(anchor))).toBe(false);
  });

  it.each<[string, string]>([
    ['not JSON', 'garbage'],
    ['an array', '[]'],
    ['another format', JSON.stringify({ Format: 'other/1', Sequence: 1, Hash: 'a'.repeat(64), Time: anchor.time, Mac: 'b'.repeat(64) })],
    ['sequence 0', JSON.stringify({ Format: ANCHOR_FORMAT, Sequence: 0, Hash: 'a'.repeat(64), Time: anchor.time, Mac: 'b'.repeat(64) })],
    ['a fractional sequence', JSON.stringify({ Format: ANCHOR_FORMAT, Sequence: 1.5, Hash: 'a'.repeat(64), Time: anchor.time, Mac: 'b'.repeat(64) })],
    ['an uppercase hash', JSON.stringify({ Format: ANCHOR_FORMAT, Sequence: 1, Hash: 'A'.repeat(64), Time: anchor.time, Mac: 'b'.repeat(64) })],
    ['a time with a newline', JSON.stringify({ Format: ANCHOR_FORMAT, Sequence: 1, Hash: 'a'.repeat(64), Time: `${anchor.time}\n7`, Mac: 'b'.repeat(64) })],
    ['a short MAC', JSON.stringify({ Format: ANCHOR_FORMAT, Sequence: 1, Hash: 'a'.repeat(64), Time: anchor.time, Mac: 'b'.repeat(62) })],
  ])('refuses %s', (_name, text) => {
    expect(decodeAnchor(Buffer.from(text))).toBeNull();
  });

  it('refuses a value cut short', () => {
    const encoded = encodeAnchor(anchor, mac);
    expect(decodeAnchor(encoded.subarray(0, encoded.length - 1))).toBeNull();
  });
});
