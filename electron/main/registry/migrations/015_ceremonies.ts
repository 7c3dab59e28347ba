import type { Migration } from './types';

/*
 * Key ceremonies (issue 15). Imported scripts are kept as their canonical JSON (built-in ones live
 * in the code); a ceremony keeps a copy of the script it runs, so its transcript never changes
 * when a script does. Steps hold what ran, as recorded (inputs without secrets, outputs as values
 * or fingerprints); sign-offs hold the witness's signature over the step's digest.
 */
const SQL = `
CREATE TABLE ceremony_scripts (
  name         TEXT PRIMARY KEY,
  title        TEXT NOT NULL,
  script       TEXT NOT NULL CHECK (json_valid(script)),
  sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
  imported_by  TEXT NOT NULL,
  imported_at  TEXT NOT NULL
);

CREATE TABLE ceremonies (
  id                   TEXT PRIMARY KEY,
  script_name          TEXT NOT NULL,
  script               TEXT NOT NULL CHECK (json_valid(script)),
  script_sha256        TEXT NOT NULL CHECK (length(script_sha256) = 64),
  participants         TEXT NOT NULL CHECK (json_valid(participants)),
  state                TEXT NOT NULL CHECK (state IN ('IN_PROGRESS', 'COMPLETED', 'ABORTED')),
  started_by           TEXT NOT NULL,
  started_at           TEXT NOT NULL,
  ended_at             TEXT,
  end_reason           TEXT,
  first_audit_sequence INTEGER,
  last_audit_sequence  INTEGER
);
CREATE INDEX ceremonies_started ON ceremonies(started_at);

CREATE TABLE ceremony_steps (
  ceremony_id        TEXT NOT NULL REFERENCES ceremonies(id) ON DELETE CASCADE,
  step_id            TEXT NOT NULL,
  position           INTEGER NOT NULL,
  state              TEXT NOT NULL CHECK (state IN ('PENDING', 'RUNNING', 'AWAITING_APPROVAL', 'DONE', 'SIGNED_OFF', 'FAILED', 'SKIPPED')),
  operation          TEXT,
  input              TEXT CHECK (input IS NULL OR json_valid(input)),
  outputs            TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(outputs)),
  run_by             TEXT,
  started_at         TEXT,
  finished_at        TEXT,
  attempts           INTEGER NOT NULL DEFAULT 0,
  error_code         TEXT,
  error_message      TEXT,
  approval_request_id TEXT,
  audit_sequence     INTEGER,
  recovered          TEXT,
  -- The process running the step (pid:start time): RUNNING is left alone while it is alive.
  runner             TEXT,
  PRIMARY KEY (ceremony_id, step_id),
  UNIQUE (ceremony_id, position)
);

CREATE TABLE ceremony_signoffs (
  ceremony_id  TEXT NOT NULL,
  step_id      TEXT NOT NULL,
  officer_name TEXT NOT NULL REFERENCES officers(name),
  digest       TEXT NOT NULL CHECK (length(digest) = 64),
  signature    BLOB NOT NULL,
  signed_at    TEXT NOT NULL,
  PRIMARY KEY (ceremony_id, step_id, officer_name),
  FOREIGN KEY (ceremony_id, step_id) REFERENCES ceremony_steps(ceremony_id, step_id) ON DELETE CASCADE
);

CREATE TABLE ceremony_deviations (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  ceremony_id  TEXT NOT NULL,
  step_id      TEXT NOT NULL,
  note         TEXT NOT NULL,
  recorded_by  TEXT NOT NULL,
  recorded_at  TEXT NOT NULL,
  FOREIGN KEY (ceremony_id, step_id) REFERENCES ceremony_steps(ceremony_id, step_id) ON DELETE CASCADE
);
`;

export const migration015Ceremonies: Migration = {
  version: 15,
  name: 'ceremonies',
  up(db) {
    db.exec(SQL);
  },
};
