import { describe, expect, it } from 'vitest';
import { backoffMs, MAX_BACKOFF_MS, retryAfterMs } from '../../../electron/main/services/keystores/login-backoff';

describe('login back-off schedule', () => {
  it('lets the first three failures through and then doubles the window from 1 s up to 5 min', () => {
    const schedule = Array.from({ length: 14 }, (_, failures) => backoffMs(failures));
    expect(schedule).toEqual([0, 0, 0, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000]);
    expect(backoffMs(1_000_000)).toBe(MAX_BACKOFF_MS);
  });

  it('counts the window from the last failure', () => {
    const last = '2027-01-04T10:00:00.000Z';
    expect(retryAfterMs(3, last, new Date('2027-01-04T10:00:00.400Z'))).toBe(600);
    expect(retryAfterMs(3, last, new Date('2027-01-04T10:00:01.000Z'))).toBe(0);
    expect(retryAfterMs(5, last, new Date('2027-01-04T10:00:03.000Z'))).toBe(1_000);
    expect(retryAfterMs(2, last, new Date('2027-01-04T10:00:00.000Z'))).toBe(0);
    expect(retryAfterMs(7, null, new Date())).toBe(0);
  });

  it('does not open the window when the clock went back or the time is unreadable', () => {
    expect(retryAfterMs(4, '2027-01-04T10:00:00.000Z', new Date('2027-01-04T09:00:00.000Z'))).toBe(2_000);
    expect(retryAfterMs(4, 'not a time', new Date())).toBe(2_000);
  });
});
