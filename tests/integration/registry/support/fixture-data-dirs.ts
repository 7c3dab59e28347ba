/**
 * The committed upgrade fixtures (tests/fixtures/data-dirs/schema-N), each copied into a private
 * temp directory before use: the core tightens or refuses data directories that are not the
 * officer's own and closed to others, and a test must never write into the committed files.
 */
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FixtureExpectations } from '../../../fixtures/data-dirs/make-data-dir';

export { FIXTURE_PASSWORD } from '../../../fixtures/data-dirs/make-data-dir';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'data-dirs');

export interface DataDirFixture {
  name: string;
  expected: FixtureExpectations;
  /** A fresh private copy of the fixture's data directory. */
  copy(): string;
}

export function dataDirFixtures(): DataDirFixture[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^schema-\d+$/.test(entry.name))
    .map((entry) => {
      const dir = path.join(FIXTURES, entry.name);
      return {
        name: entry.name,
        expected: JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as FixtureExpectations,
        copy: () => privateCopy(path.join(dir, 'data')),
      };
    });
}

function privateCopy(source: string): string {
  const target = mkdtempSync(path.join(tmpdir(), 'keyward-upgrade-'));
  cpSync(source, target, { recursive: true });
  tighten(target);
  return target;
}

/** Git checks files out 0644: give the copy the modes Keyward itself creates. */
function tighten(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) tighten(full);
    else chmodSync(full, 0o600);
  }
}
