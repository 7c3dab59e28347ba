import type { Migration } from './types';

/*
 * Import of external key material and the ListKeys tag filter.
 * - key_import_tokens: one row per GetParametersForImport. The ImportToken itself is never stored,
 *   only its SHA-256 (a leaked registry file does not hand out valid tokens). The wrapping key pair
 *   lives in the HSM under wrapping_object_id until the token is used or expires; key_store_id is
 *   kept so an expired pair can still be destroyed after the key itself is gone.
 * - tags_key_value: the Tag filter of ListKeys looks tags up by key (and value), not by CMK.
 * - keys_material_expiry, keys_rotation_due, keys_deletion_due: the maintenance sweeps (every
 *   minute) read only the keys that can fall due, not the whole table.
 */
const SQL = `
CREATE TABLE key_import_tokens (
  token_hash         TEXT PRIMARY KEY CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
  key_id             TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
  key_store_id       TEXT NOT NULL,
  wrapping_object_id TEXT NOT NULL UNIQUE CHECK (length(wrapping_object_id) = 32 AND wrapping_object_id NOT GLOB '*[^0-9a-f]*'),
  wrapping_algorithm TEXT NOT NULL CHECK (wrapping_algorithm IN ('RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256')),
  created_at         TEXT NOT NULL,
  expires_at         TEXT NOT NULL
);
CREATE INDEX key_import_tokens_key ON key_import_tokens(key_id);
CREATE INDEX key_import_tokens_expiry ON key_import_tokens(expires_at);

CREATE INDEX tags_key_value ON tags(tag_key, tag_value, key_id);
CREATE INDEX keys_material_expiry ON keys(material_expire_time) WHERE material_expire_time IS NOT NULL;
CREATE INDEX keys_rotation_due ON keys(next_rotation_date) WHERE automatic_rotation = 'Enabled' AND deleted_at IS NULL;
CREATE INDEX keys_deletion_due ON keys(delete_date) WHERE key_state = 'PendingDeletion' AND deleted_at IS NULL;
`;

export const migration003KeyImport: Migration = {
  version: 3,
  name: 'key_import',
  up(db) {
    db.exec(SQL);
  },
};
