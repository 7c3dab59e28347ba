import type { Migration } from './types';

/*
 * Login attempts charged but not yet judged by the HSM. failed_logins still counts them (a crash
 * in the middle stays a failure), but while they are fresh a new attempt that only they would bar
 * waits for their verdict instead of being refused: parallel logins with the right password (four
 * kms processes started at once) all get through, parallel guesses still stop at the free three.
 */
const SQL = `
ALTER TABLE login_guards ADD COLUMN pending_logins INTEGER NOT NULL DEFAULT 0 CHECK (pending_logins >= 0);
ALTER TABLE login_guards ADD COLUMN pending_since TEXT;
`;

export const migration008PendingLogins: Migration = {
  version: 8,
  name: 'pending_logins',
  up(db) {
    db.exec(SQL);
  },
};
