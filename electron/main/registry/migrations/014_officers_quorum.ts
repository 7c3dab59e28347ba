import type { Migration } from './types';

/*
 * Officers and M-of-N quorum (issue 14). Officers keep only their approval key's public half;
 * the one quorum policy names operations and how many distinct officers must approve; approval
 * requests hold the exact request (secret fields left out) and its digest, and each approval the
 * signature an officer's key made over that digest. A request is executed at most once.
 */
const SQL = `
CREATE TABLE officers (
  name            TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
  roles           TEXT NOT NULL CHECK (json_valid(roles)),
  key_spec        TEXT NOT NULL,
  public_key      TEXT NOT NULL,
  fingerprint     TEXT NOT NULL UNIQUE CHECK (length(fingerprint) = 64),
  module_id       TEXT REFERENCES modules(id),
  token_serial    TEXT,
  key_label       TEXT,
  state           TEXT NOT NULL CHECK (state IN ('ENABLED', 'DISABLED')),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  CHECK ((module_id IS NULL) = (token_serial IS NULL) AND (module_id IS NULL) = (key_label IS NULL))
);

CREATE TABLE quorum_policy (
  id                      INTEGER PRIMARY KEY CHECK (id = 1),
  operations              TEXT NOT NULL CHECK (json_valid(operations)),
  min_approvals           INTEGER NOT NULL CHECK (min_approvals BETWEEN 1 AND 16),
  approval_window_minutes INTEGER NOT NULL CHECK (approval_window_minutes BETWEEN 1 AND 1440),
  updated_at              TEXT NOT NULL
);

CREATE TABLE approval_requests (
  id            TEXT PRIMARY KEY,
  operation     TEXT NOT NULL,
  input         TEXT NOT NULL CHECK (json_valid(input)),
  digest        TEXT NOT NULL CHECK (length(digest) = 64),
  requested_by  TEXT NOT NULL,
  min_approvals INTEGER NOT NULL,
  created_at    TEXT NOT NULL,
  expires_at    TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('PENDING', 'EXECUTED', 'REJECTED')),
  closed_by     TEXT,
  closed_at     TEXT
);
CREATE INDEX approval_requests_created ON approval_requests(created_at);

CREATE TABLE approvals (
  request_id   TEXT NOT NULL REFERENCES approval_requests(id) ON DELETE CASCADE,
  officer_name TEXT NOT NULL REFERENCES officers(name),
  signature    BLOB NOT NULL,
  approved_at  TEXT NOT NULL,
  PRIMARY KEY (request_id, officer_name)
);
`;

export const migration014OfficersQuorum: Migration = {
  version: 14,
  name: 'officers_quorum',
  up(db) {
    db.exec(SQL);
  },
};
