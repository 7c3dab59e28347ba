import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistryConstraintError } from '../../../electron/main/registry';
import { migrate } from '../../../electron/main/registry/migrate';
import { MIGRATIONS } from '../../../electron/main/registry/migrations';
import type { ImportTokenRow } from '../../../electron/main/registry/repositories/import-tokens';
import { scratch, type Scratch } from './support';

let tmp: Scratch;
beforeEach(() => {
  tmp = scratch();
});
afterEach(() => tmp.cleanup());

const BEFORE_007 = MIGRATIONS.filter((migration) => migration.version < 7);

function token(overrides: Partial<ImportTokenRow>): ImportTokenRow {
  return {
    tokenHash: 'a'.repeat(64),
    keyId: 'k-1',
    keyStoreId: 'kst-x',
    wrappingObjectId: 'b'.repeat(32),
    wrappingAlgorithm: 'RSAES_OAEP_SHA_1',
    createdAt: '2026-06-01T00:00:00.000Z',
    expiresAt: '2026-06-02T00:00:00.000Z',
    ...overrides,
  };
}

describe('migration 007: import tokens for key pairs', () => {
  it('keeps every outstanding import token and from then on admits RSA_AES_KEY_WRAP_* (refused before it)', () => {
    // The registry's repositories expect the newest schema; the schema before 007 is written raw.
    const old = tmp.raw();
    migrate(old, BEFORE_007, () => '2026-06-01T00:00:00.000Z');
    old.exec(`INSERT INTO key_stores (id, name, type, protection_level, created_at, updated_at)
                VALUES ('kst-x', 'kst-x', 'DEFAULT', 'SOFTWARE', '2026-06-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z');
              INSERT INTO keys (id, key_store_id, key_spec, key_usage, origin, protection_level, key_state, creator, created_at)
                VALUES ('k-1', 'kst-x', 'Aliyun_AES_256', 'ENCRYPT/DECRYPT', 'EXTERNAL', 'SOFTWARE', 'PendingImport', 'test', '2026-06-01T00:00:00.000Z');`);
    const insertToken = (row: ImportTokenRow): unknown =>
      old
        .prepare(
          `INSERT INTO key_import_tokens (token_hash, key_id, key_store_id, wrapping_object_id, wrapping_algorithm, created_at, expires_at)
           VALUES (@tokenHash, @keyId, @keyStoreId, @wrappingObjectId, @wrappingAlgorithm, @createdAt, @expiresAt)`,
        )
        .run(row);
    insertToken(token({}));
    expect(() => insertToken(token({ tokenHash: 'c'.repeat(64), wrappingObjectId: 'd'.repeat(32), wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_1' }))).toThrow(/CHECK constraint/);
    old.close();

    const current = tmp.open();
    expect(current.schemaVersion).toBe(MIGRATIONS.length);
    expect(current.importTokens.getByHash('a'.repeat(64))).toEqual(token({}));
    current.importTokens.insert(token({ tokenHash: 'c'.repeat(64), wrappingObjectId: 'd'.repeat(32), wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256' }));
    expect(current.importTokens.getByHash('c'.repeat(64))?.wrappingAlgorithm).toBe('RSA_AES_KEY_WRAP_SHA_256');
    expect(() => current.importTokens.insert(token({ tokenHash: 'e'.repeat(64), wrappingObjectId: 'f'.repeat(32), wrappingAlgorithm: 'OTHER' as never }))).toThrow(
      RegistryConstraintError,
    );
    // The rebuilt table keeps its constraints and indexes: tokens go with their key, expired ones are found.
    expect(current.importTokens.listExpired('2026-06-03T00:00:00.000Z')).toHaveLength(2);
    current.close();
    const db = tmp.raw();
    const indexes = db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'key_import_tokens' AND sql IS NOT NULL").all();
    expect(indexes.map((index) => index.name).sort()).toEqual(['key_import_tokens_expiry', 'key_import_tokens_key']);
    db.pragma('foreign_keys = ON');
    db.prepare('DELETE FROM keys WHERE id = ?').run('k-1');
    expect(db.prepare('SELECT count(*) AS n FROM key_import_tokens').get()).toEqual({ n: 0 });
    db.close();
  });
});
