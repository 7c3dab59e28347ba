import type { Migration } from './types';

/*
 * Application access points (issue 12). Names are the keys (as in Alibaba KMS). Links between
 * policies and their network rules, and between access points and their policies, refuse the
 * deletion of what is still used (no cascade toward the used side). A client key row is the
 * revocation list: a certificate whose row is gone is refused. The access key secret is kept only
 * sealed (envelope under a CMK, like a secret value); the private key and its password never are.
 * The instance CA's private key lives in the default key store's token; its row keeps the
 * certificate and the token object id.
 */
const SQL = `
CREATE TABLE network_rules (
  name              TEXT PRIMARY KEY,
  type              TEXT NOT NULL CHECK (type IN ('Private')),
  source_private_ip TEXT NOT NULL,
  description       TEXT NOT NULL DEFAULT '',
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
CREATE TABLE access_policies (
  name        TEXT PRIMARY KEY,
  permissions TEXT NOT NULL,
  resources   TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE TABLE access_policy_network_rules (
  policy_name TEXT NOT NULL REFERENCES access_policies(name) ON DELETE CASCADE,
  rule_name   TEXT NOT NULL REFERENCES network_rules(name),
  PRIMARY KEY (policy_name, rule_name)
);
CREATE INDEX access_policy_network_rules_by_rule ON access_policy_network_rules (rule_name);
CREATE TABLE access_points (
  name                  TEXT PRIMARY KEY,
  authentication_method TEXT NOT NULL CHECK (authentication_method IN ('ClientKey')),
  description           TEXT NOT NULL DEFAULT '',
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL
);
CREATE TABLE access_point_policies (
  access_point_name TEXT NOT NULL REFERENCES access_points(name) ON DELETE CASCADE,
  policy_name       TEXT NOT NULL REFERENCES access_policies(name),
  PRIMARY KEY (access_point_name, policy_name)
);
CREATE INDEX access_point_policies_by_policy ON access_point_policies (policy_name);
CREATE TABLE client_keys (
  client_key_id       TEXT PRIMARY KEY,
  access_point_name   TEXT NOT NULL REFERENCES access_points(name) ON DELETE CASCADE,
  key_algorithm       TEXT NOT NULL CHECK (key_algorithm IN ('RSA_2048')),
  certificate_pem     TEXT NOT NULL,
  certificate_serial  TEXT NOT NULL UNIQUE,
  certificate_sha256  TEXT NOT NULL UNIQUE,
  not_before          TEXT NOT NULL,
  not_after           TEXT NOT NULL,
  secret_key_id       TEXT NOT NULL,
  secret_wrapped_key  BLOB NOT NULL,
  secret_sealed       BLOB NOT NULL,
  created_at          TEXT NOT NULL
);
CREATE INDEX client_keys_by_access_point ON client_keys (access_point_name);
CREATE TABLE instance_ca (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  key_store_id    TEXT NOT NULL,
  object_id       TEXT NOT NULL,
  certificate_pem TEXT NOT NULL,
  created_at      TEXT NOT NULL
);
`;

export const migration010AccessPoints: Migration = {
  version: 10,
  name: 'access_points',
  up(db) {
    db.exec(SQL);
  },
};
