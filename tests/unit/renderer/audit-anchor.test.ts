import { describe, expect, it } from 'vitest';
import { anchorSummary, checkpointText } from '../../../renderer/src/lib/audit-anchor';

const anchor = { Sequence: 41, Hash: 'c'.repeat(64), Time: '2026-12-06T10:00:00.000Z' };

describe('anchorSummary', () => {
  it('says how far the log is anchored, and how many records wait', () => {
    expect(anchorSummary({ Anchor: anchor, AnchorChecked: true, UnanchoredRecords: 0 })).toBe('Anchored in the HSM up to record 41 (2026-12-06 10:00:00 UTC).');
    expect(anchorSummary({ Anchor: anchor, AnchorChecked: true, UnanchoredRecords: 1 })).toContain('1 newer record is not anchored yet');
    expect(anchorSummary({ Anchor: anchor, AnchorChecked: true, UnanchoredRecords: 3 })).toContain('3 newer records are not anchored yet');
  });

  it('says plainly when the anchor was not checked, or there is none', () => {
    expect(anchorSummary({ Anchor: null, AnchorChecked: false, UnanchoredRecords: null })).toMatch(/^Not checked .* locked/);
    expect(anchorSummary({ Anchor: null, AnchorChecked: true, UnanchoredRecords: 7 })).toMatch(/^The HSM holds no anchor for this log yet/);
  });

  it('writes a checkpoint as sequence and hash', () => {
    expect(checkpointText(anchor)).toBe(`Sequence 41\nHash ${'c'.repeat(64)}`);
  });
});
