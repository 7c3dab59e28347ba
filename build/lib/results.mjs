// Turns what each test runner wrote into {passed, failed, skipped}, and formats the summary that
// `npm test` (and so CI) ends with. Pure functions: unit-tested in tests/unit/build/.

/** @typedef {{ passed: number, failed: number, skipped: number, note?: string }} Counts */

const zero = () => ({ passed: 0, failed: 0, skipped: 0 });

/**
 * Vitest's JSON reporter (Jest-compatible shape). A test file that fails to load has no test
 * results but a failed file status: it counts as one failure, so a broken import cannot pass.
 */
export function countsFromVitest(report) {
  const counts = zero();
  if (!report || !Array.isArray(report.testResults)) return counts;
  for (const file of report.testResults) {
    const tests = Array.isArray(file.assertionResults) ? file.assertionResults : [];
    for (const t of tests) {
      if (t.status === 'passed') counts.passed += 1;
      else if (t.status === 'failed') counts.failed += 1;
      else counts.skipped += 1; // skipped, pending, todo, disabled
    }
    if (file.status === 'failed' && !tests.some((t) => t.status === 'failed')) counts.failed += 1;
  }
  return counts;
}

/**
 * Playwright's JSON reporter: `stats.expected` passed, `unexpected` failed, `flaky` passed on retry,
 * `skipped` skipped (test.skip, or a whole suite skipping itself). Errors outside any test
 * (a spec that does not compile, a failing global setup) count as one failure each.
 */
export function countsFromPlaywright(report) {
  const counts = zero();
  const stats = report?.stats;
  if (!stats) return counts;
  counts.passed = (stats.expected ?? 0) + (stats.flaky ?? 0);
  counts.failed = stats.unexpected ?? 0;
  counts.skipped = stats.skipped ?? 0;
  const errors = Array.isArray(report.errors) ? report.errors.length : 0;
  counts.failed += errors;
  return counts;
}

/**
 * Reconciles a runner's exit code with the counts read from its report: a runner that failed
 * while its report shows no failure (crash, timeout, no report at all) still fails the suite.
 */
export function settle(counts, exitCode) {
  if (exitCode !== 0 && counts.failed === 0) {
    return { ...counts, failed: 1, note: counts.note ?? `exited with ${exitCode} without reporting a failed test` };
  }
  return counts;
}

export function total(rows) {
  return rows.reduce(
    (sum, row) => ({ passed: sum.passed + row.passed, failed: sum.failed + row.failed, skipped: sum.skipped + row.skipped }),
    zero(),
  );
}

/** The closing line CI reads: exactly `N passed, N failed, N skipped`. */
export function finalLine(rows) {
  const t = total(rows);
  // CI reads exactly `N passed, N failed` as the last line; skipped counts sit in the table above.
  return `${t.passed} passed, ${t.failed} failed`;
}

/** Per-suite table; rows are {name, passed, failed, skipped, seconds, note?}. */
export function formatSummary(rows) {
  const width = Math.max(5, ...rows.map((r) => r.name.length));
  const lines = [`${'suite'.padEnd(width)}  result  passed  failed  skipped   time`];
  for (const r of rows) {
    const result = r.failed > 0 ? 'FAIL' : r.passed === 0 && r.skipped > 0 ? 'SKIP' : r.passed === 0 ? 'NONE' : 'ok';
    lines.push(
      `${r.name.padEnd(width)}  ${result.padEnd(6)}  ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.skipped).padStart(7)}  ${`${Math.round(r.seconds ?? 0)}s`.padStart(5)}` +
        (r.note ? `  (${r.note})` : ''),
    );
  }
  return lines.join('\n');
}
