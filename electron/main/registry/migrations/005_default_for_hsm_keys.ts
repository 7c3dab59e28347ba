import type { Migration } from './types';

/*
 * The key store CreateKey uses for `ProtectionLevel: HSM` when no KeyStoreId is given, as the
 * officer marks it (UpdateKeyStore DefaultForHsmKeys). The partial unique index keeps it to one
 * store at most; the service allows the mark on HSM-protected stores only.
 */
const SQL = `
ALTER TABLE key_stores ADD COLUMN default_for_hsm_keys INTEGER NOT NULL DEFAULT 0 CHECK (default_for_hsm_keys IN (0, 1));
CREATE UNIQUE INDEX key_stores_one_default_for_hsm_keys ON key_stores (default_for_hsm_keys) WHERE default_for_hsm_keys = 1;
`;

export const migration005DefaultForHsmKeys: Migration = {
  version: 5,
  name: 'default_for_hsm_keys',
  up(db) {
    db.exec(SQL);
  },
};
