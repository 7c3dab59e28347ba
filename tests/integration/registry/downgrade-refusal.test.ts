/**
 * A downgrade: an older Keyward (this build) started on a data directory a newer one has already
 * migrated. It must refuse with a message that says so and what to do, and leave every file of the
 * directory exactly as it was: the newer release has to find its data intact when it comes back.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/main/app/core';
import { createNodeWorkerLauncher } from '../../../electron/main/hsm/node-launcher';
import { SchemaTooNewError } from '../../../electron/main/registry';
import { MIGRATIONS } from '../../../electron/main/registry/migrations';
import { runKms } from '../../support/run-cli';
import { createTestCore, removeDir } from '../../support/test-core';
import { dataDirFixtures } from './support/fixture-data-dirs';

const NEWER = MIGRATIONS.length + 1;

/** Every file under `dir` with its size, mode and content hash. */
function snapshot(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    const full = path.join(dir, relative);
    const stats = statSync(full);
    if (entry.isDirectory()) {
      files[`${relative}/`] = (stats.mode & 0o777).toString(8);
      Object.assign(files, snapshot(dir, relative));
    } else {
      const hash = createHash('sha256').update(readFileSync(full)).digest('hex');
      files[relative] = `${(stats.mode & 0o777).toString(8)} ${stats.size} ${hash}`;
    }
  }
  return files;
}

describe('a data directory a newer Keyward has migrated', () => {
  const [fixture] = dataDirFixtures();
  let dataDir = '';
  let before: Record<string, string> = {};

  beforeAll(async () => {
    if (!fixture) throw new Error('no upgrade fixture under tests/fixtures/data-dirs');
    dataDir = fixture.copy();
    // This build migrates it first, as the newer release would have, then "the newer release" adds its step.
    await (await createTestCore(dataDir)).close();
    const db = new Database(path.join(dataDir, 'registry.sqlite'));
    db.exec('CREATE TABLE from_the_future (id INTEGER PRIMARY KEY)');
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(NEWER, 'from_the_future', new Date().toISOString());
    db.close();
    before = snapshot(dataDir);
  });
  afterAll(() => removeDir(dataDir));

  it('is refused by the core, naming both schema versions and what to do', async () => {
    let caught: unknown;
    try {
      await createCore({ dataDir, launcher: createNodeWorkerLauncher() });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SchemaTooNewError);
    const message = (caught as Error).message;
    expect(message).toContain(`newer Keyward (registry schema ${NEWER}`);
    expect(message).toContain(`reads schemas up to ${MIGRATIONS.length}`);
    expect(message).toContain('Nothing was changed');
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('is refused by the kms command line with the same message, touching nothing', async () => {
    const result = await runKms(['DescribeKeyStores', '--data-dir', dataDir]);
    expect(result.code).not.toBe(0);
    expect(String(result.json.Message)).toContain(`newer Keyward (registry schema ${NEWER}`);
    expect(result.stdout).toBe('');
    expect(snapshot(dataDir)).toEqual(before);
  });
});
