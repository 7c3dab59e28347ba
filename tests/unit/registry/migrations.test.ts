import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SchemaTooNewError, openRegistry } from '../../../electron/main/registry';
import { MIGRATIONS, type Migration } from '../../../electron/main/registry/migrations';

/** Version numbers relative to what this build ships, so adding a migration does not break these tests. */
const NEXT = MIGRATIONS.length + 1;
const SHIPPED = MIGRATIONS.map((migration) => migration.version);
import { type Scratch, scratch } from './support';

let tmp: Scratch;
beforeEach(() => {
  tmp = scratch();
});
afterEach(() => tmp.cleanup());

function versions(tmpScratch: Scratch): { version: number; name: string }[] {
  const db = tmpScratch.raw();
  const rows = db.prepare<[], { version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version').all();
  db.close();
  return rows;
}

describe('openRegistry and migrations', () => {
  it('creates the file in WAL mode and records each migration once', () => {
    const registry = tmp.open();
    expect(existsSync(tmp.file)).toBe(true);
    expect(registry.schemaVersion).toBe(MIGRATIONS.length);
    registry.close();
    const db = tmp.raw();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all();
    expect(tables.map((table) => table.name)).toEqual(
      expect.arrayContaining(['aliases', 'audit_events', 'audit_head', 'key_stores', 'key_versions', 'keys', 'meta', 'modules', 'schema_migrations', 'tags']),
    );
    db.close();
    expect(versions(tmp)).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
  });

  it('is idempotent across reopen and keeps the data', () => {
    const first = tmp.open();
    first.meta.set('installation.owner', '1234567890123456');
    first.close();
    const second = tmp.open();
    expect(second.meta.get('installation.owner')).toBe('1234567890123456');
    second.close();
    tmp.open().close();
    expect(versions(tmp)).toHaveLength(MIGRATIONS.length);
  });

  it('refuses a database written by a newer build, and leaves it untouched', () => {
    tmp.open().close();
    const db = tmp.raw();
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from the future', 'x')").run();
    db.close();
    let caught: unknown;
    try {
      openRegistry({ file: tmp.file });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SchemaTooNewError);
    expect(caught).toMatchObject({ databaseVersion: 99, supportedVersion: MIGRATIONS.length });
    expect(versions(tmp).map((row) => row.version)).toEqual([...SHIPPED, 99]);
  });

  it('applies a later migration on reopen, each in its own transaction', () => {
    tmp.open().close();
    const addColour: Migration = {
      version: NEXT,
      name: 'colour',
      up: (db) => db.exec("ALTER TABLE key_stores ADD COLUMN colour TEXT NOT NULL DEFAULT 'blue'"),
    };
    const registry = tmp.open({ migrations: [...MIGRATIONS, addColour] });
    expect(registry.schemaVersion).toBe(NEXT);
    registry.close();
    expect(versions(tmp).map((row) => row.version)).toEqual([...SHIPPED, NEXT]);
    // The build without migration 2 now refuses the file.
    expect(() => openRegistry({ file: tmp.file })).toThrow(SchemaTooNewError);
  });

  it('rolls a failing migration back completely and keeps the previous version', () => {
    tmp.open().close();
    const broken: Migration = {
      version: NEXT,
      name: 'broken',
      up: (db) => {
        db.exec('CREATE TABLE half_done (x INTEGER)');
        throw new Error('boom');
      },
    };
    expect(() => openRegistry({ file: tmp.file, migrations: [...MIGRATIONS, broken] })).toThrow('boom');
    const db = tmp.raw();
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'half_done'").get()).toEqual({ n: 0 });
    db.close();
    expect(versions(tmp).map((row) => row.version)).toEqual(SHIPPED);
  });

  it('refuses a migration that leaves foreign keys dangling', () => {
    tmp.open().close();
    const dangling: Migration = {
      version: NEXT,
      name: 'dangling',
      up: (db) => db.exec("INSERT INTO aliases (alias_name, key_id, created_at, updated_at) VALUES ('alias/x', 'no-such-key', 'x', 'x')"),
    };
    expect(() => openRegistry({ file: tmp.file, migrations: [...MIGRATIONS, dangling] })).toThrow(/foreign key/);
    expect(versions(tmp).map((row) => row.version)).toEqual(SHIPPED);
  });

  it('rejects a migration list with gaps', () => {
    const gap: Migration = { version: NEXT + 1, name: 'gap', up: () => undefined };
    expect(() => openRegistry({ file: tmp.file, migrations: [...MIGRATIONS, gap] })).toThrow(/without gaps/);
  });

  it('fails cleanly when the directory does not exist (the caller creates it)', () => {
    expect(() => openRegistry({ file: path.join(tmp.dir, 'missing', 'registry.sqlite') })).toThrow();
  });

  it('enforces foreign keys on every connection it opens', () => {
    const registry = tmp.open();
    expect(() =>
      registry.aliases.insert({ aliasName: 'alias/orphan', keyId: 'no-such-key', createdAt: 'x', updatedAt: 'x' }),
    ).toThrow(expect.objectContaining({ kind: 'foreignKey' }));
  });

  it('close() is idempotent and later calls fail loudly', () => {
    const registry = tmp.open();
    registry.close();
    registry.close();
    expect(() => registry.meta.get('x')).toThrow();
  });
});
