import { describe, expect, it } from 'vitest';
import { countsFromPlaywright, countsFromVitest, finalLine, formatSummary, settle } from '../../../build/lib/results.mjs';

describe('countsFromVitest', () => {
  it('counts passed, failed and skipped/todo tests', () => {
    const report = {
      testResults: [
        { status: 'passed', assertionResults: [{ status: 'passed' }, { status: 'skipped' }, { status: 'todo' }] },
        { status: 'failed', assertionResults: [{ status: 'passed' }, { status: 'failed' }] },
      ],
    };
    expect(countsFromVitest(report)).toEqual({ passed: 2, failed: 1, skipped: 2 });
  });

  it('counts a file that failed to load as one failure', () => {
    const report = { testResults: [{ status: 'failed', message: 'Cannot find module', assertionResults: [] }] };
    expect(countsFromVitest(report)).toEqual({ passed: 0, failed: 1, skipped: 0 });
  });

  it('treats a missing or empty report as zero tests', () => {
    expect(countsFromVitest(null)).toEqual({ passed: 0, failed: 0, skipped: 0 });
    expect(countsFromVitest({ testResults: [] })).toEqual({ passed: 0, failed: 0, skipped: 0 });
  });
});

describe('countsFromPlaywright', () => {
  it('maps expected/flaky to passed, unexpected to failed', () => {
    const report = { stats: { expected: 4, flaky: 1, unexpected: 2, skipped: 3 }, errors: [] };
    expect(countsFromPlaywright(report)).toEqual({ passed: 5, failed: 2, skipped: 3 });
  });

  it('counts errors outside tests (a spec that does not load) as failures', () => {
    const report = { stats: { expected: 0, flaky: 0, unexpected: 0, skipped: 0 }, errors: [{ message: 'SyntaxError' }] };
    expect(countsFromPlaywright(report).failed).toBe(1);
  });

  it('reports a self-skipping suite as skipped, not passed', () => {
    const report = { stats: { expected: 0, flaky: 0, unexpected: 0, skipped: 5 }, errors: [] };
    expect(countsFromPlaywright(report)).toEqual({ passed: 0, failed: 0, skipped: 5 });
  });
});

describe('settle', () => {
  it('fails a suite whose runner failed without a failed test in its report', () => {
    expect(settle({ passed: 3, failed: 0, skipped: 0 }, 1)).toMatchObject({ passed: 3, failed: 1 });
  });

  it('keeps the counts when they already show the failure or the runner succeeded', () => {
    expect(settle({ passed: 3, failed: 2, skipped: 0 }, 1)).toEqual({ passed: 3, failed: 2, skipped: 0 });
    expect(settle({ passed: 3, failed: 0, skipped: 1 }, 0)).toEqual({ passed: 3, failed: 0, skipped: 1 });
  });
});

describe('summary', () => {
  const rows = [
    { name: 'lint', passed: 1, failed: 0, skipped: 0, seconds: 3 },
    { name: 'unit', passed: 40, failed: 2, skipped: 1, seconds: 12 },
    { name: 'electron', passed: 0, failed: 0, skipped: 5, seconds: 1, note: 'no Electron binary' },
  ];

  it('ends with the exact line CI reads', () => {
    expect(finalLine(rows)).toBe('41 passed, 2 failed');
    expect(finalLine(rows)).toMatch(/^\d+ passed, \d+ failed$/);
  });

  it('shows one row per suite with its result', () => {
    const lines = formatSummary(rows).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^unit\s+FAIL\s+40\s+2\s+1/);
    expect(lines[3]).toMatch(/^electron\s+SKIP.*no Electron binary/);
  });
});
