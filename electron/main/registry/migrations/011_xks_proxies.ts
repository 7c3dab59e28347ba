import type { Migration } from './types';

/*
 * XKS proxies Keyward serves (issue 13, part 1). A proxy serves the AES-256 keys of one key store
 * under its URI path; its SigV4 credentials are rows of their own (several live at once during a
 * rotation). A credential's secret access key is kept only sealed (envelope under the access keys
 * CMK, bound to its proxy and access key id), exactly like a client key's access key secret.
 */
const SQL = `
CREATE TABLE xks_proxies (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  uri_path     TEXT NOT NULL UNIQUE,
  key_store_id TEXT NOT NULL REFERENCES key_stores(id) ON DELETE CASCADE,
  created_at   TEXT NOT NULL
);
CREATE TABLE xks_proxy_credentials (
  access_key_id      TEXT PRIMARY KEY,
  proxy_id           TEXT NOT NULL REFERENCES xks_proxies(id) ON DELETE CASCADE,
  secret_key_id      TEXT NOT NULL,
  secret_wrapped_key BLOB NOT NULL,
  secret_sealed      BLOB NOT NULL,
  created_at         TEXT NOT NULL
);
CREATE INDEX xks_proxy_credentials_by_proxy ON xks_proxy_credentials (proxy_id);
`;

export const migration011XksProxies: Migration = {
  version: 11,
  name: 'xks_proxies',
  up(db) {
    db.exec(SQL);
  },
};
