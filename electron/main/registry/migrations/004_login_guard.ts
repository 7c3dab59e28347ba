import type { Migration } from './types';

/*
 * Login guard: consecutive failed logins and the lockout policy, per set of credentials.
 * - subject_id is whose credentials were tried: the default key store's id (its user PIN), or a
 *   cluster's id (kmsuser and the SO PIN live on the cluster's tokens, before a key store is bound
 *   and after one is deleted). Each kms call is a new process, so the count lives here, not in memory.
 * - failed_logins counts consecutive refused attempts; an attempt is counted (charged) before its
 *   PIN reaches the HSM, so parallel callers and processes cannot all get through, and a crash in
 *   the middle counts as a failure. last_failure_at starts the back-off window.
 * - locked_at is set when failed_logins reaches the policy; only UnlockKeyStore (SO PIN) clears it.
 * - max_failed_logins NULL means the default for the subject (0 = never lock).
 * No PIN, password or hash of one is stored.
 */
const SQL = `
CREATE TABLE login_guards (
  subject_id        TEXT PRIMARY KEY,
  failed_logins     INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  last_failure_at   TEXT,
  locked_at         TEXT,
  max_failed_logins INTEGER CHECK (max_failed_logins IS NULL OR max_failed_logins BETWEEN 0 AND 100),
  updated_at        TEXT NOT NULL
);
`;

export const migration004LoginGuard: Migration = {
  version: 4,
  name: 'login_guard',
  up(db) {
    db.exec(SQL);
  },
};
