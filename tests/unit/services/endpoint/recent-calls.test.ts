import { describe, expect, it } from 'vitest';
import { RecentCalls, type ApplicationCall } from '../../../../electron/main/services/endpoint/recent-calls';

const call = (n: number): ApplicationCall => ({ Time: `t${n}`, AapName: 'a', ClientKeyId: 'k', SourceAddress: '127.0.0.1', Operation: 'Encrypt', Resource: `r${n}`, Outcome: 'SUCCESS', ErrorCode: '' });

describe('RecentCalls', () => {
  it('keeps the newest calls first and drops the oldest beyond its capacity', () => {
    const ring = new RecentCalls(3);
    for (let n = 1; n <= 5; n += 1) ring.add(call(n));
    expect(ring.list().map((entry) => entry.Resource)).toEqual(['r5', 'r4', 'r3']);
  });

  it('hands out copies: a caller cannot rewrite the record', () => {
    const ring = new RecentCalls();
    ring.add(call(1));
    const [first] = ring.list();
    if (first) first.Outcome = 'FAILURE';
    expect(ring.list()[0]?.Outcome).toBe('SUCCESS');
  });
});
