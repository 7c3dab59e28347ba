import type { Migration } from './types';

/*
 * Import of key pairs (RSA_AES_KEY_WRAP_SHA_1 / _SHA_256): key_import_tokens.wrapping_algorithm
 * admits them. SQLite cannot change a CHECK constraint in place, so the table is rebuilt with the
 * same columns and indexes (SQLite's documented recipe; the migration runner has foreign keys off
 * and checks them before commit). Nothing references this table, and it references only keys.
 */
const SQL = `
CREATE TABLE key_import_tokens_007 (
  token_hash         TEXT PRIMARY KEY CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
  key_id             TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
  key_store_id       TEXT NOT NULL,
  wrapping_object_id TEXT NOT NULL UNIQUE CHECK (length(wrapping_object_id) = 32 AND wrapping_object_id NOT GLOB '*[^0-9a-f]*'),
  wrapping_algorithm TEXT NOT NULL CHECK (wrapping_algorithm IN ('RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256')),
  created_at         TEXT NOT NULL,
  expires_at         TEXT NOT NULL
);
INSERT INTO key_import_tokens_007 (token_hash, key_id, key_store_id, wrapping_object_id, wrapping_algorithm, created_at, expires_at)
  SELECT token_hash, key_id, key_store_id, wrapping_object_id, wrapping_algorithm, created_at, expires_at FROM key_import_tokens;
DROP TABLE key_import_tokens;
ALTER TABLE key_import_tokens_007 RENAME TO key_import_tokens;
CREATE INDEX key_import_tokens_key ON key_import_tokens(key_id);
CREATE INDEX key_import_tokens_expiry ON key_import_tokens(expires_at);
`;

export const migration007KeyPairImport: Migration = {
  version: 7,
  name: 'key_pair_import',
  up(db) {
    db.exec(SQL);
  },
};
