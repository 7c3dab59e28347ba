import type { Database } from 'better-sqlite3';

/** Failed-login state and lockout policy of one set of credentials (see migration 004). */
export interface LoginGuardRow {
  subjectId: string;
  failedLogins: number;
  lastFailureAt: string | null;
  lockedAt: string | null;
  /** Null: the subject's default policy. */
  maxFailedLogins: number | null;
  /** Charged attempts (included in failedLogins) the HSM has not judged yet; see migration 008. */
  pendingLogins: number;
  /** When the latest pending attempt was charged. */
  pendingSince: string | null;
  updatedAt: string;
}

export interface LoginGuardsRepository {
  get(subjectId: string): LoginGuardRow | null;
  /** Counts one more attempt as failed, starting the back-off window at `at`. */
  charge(subjectId: string, at: string): void;
  /**
   * Takes back a charge whose attempt never reached a verdict (the HSM did not answer). The window
   * start goes back to `previousFailureAt` unless another attempt has moved it since.
   */
  refund(subjectId: string, chargedAt: string, previousFailureAt: string | null, at: string): void;
  /** The charged attempt was refused: the window starts at `at`; `lock` sets the lockout. */
  settleFailure(subjectId: string, at: string, lock: boolean): void;
  /** The credentials were accepted: no lockout, and no failures but the other attempts still pending. */
  clear(subjectId: string, at: string): void;
  setPolicy(subjectId: string, maxFailedLogins: number, at: string): void;
}

const COLUMNS = `subject_id AS subjectId, failed_logins AS failedLogins, last_failure_at AS lastFailureAt,
  locked_at AS lockedAt, max_failed_logins AS maxFailedLogins, pending_logins AS pendingLogins,
  pending_since AS pendingSince, updated_at AS updatedAt`;

export function createLoginGuardsRepository(db: Database): LoginGuardsRepository {
  const get = db.prepare<[string], LoginGuardRow>(`SELECT ${COLUMNS} FROM login_guards WHERE subject_id = ?`);
  const charge = db.prepare<{ subjectId: string; at: string }>(
    `INSERT INTO login_guards (subject_id, failed_logins, last_failure_at, pending_logins, pending_since, updated_at)
       VALUES (@subjectId, 1, @at, 1, @at, @at)
     ON CONFLICT (subject_id) DO UPDATE SET failed_logins = failed_logins + 1, last_failure_at = @at,
       pending_logins = pending_logins + 1, pending_since = @at, updated_at = @at`,
  );
  const refund = db.prepare<{ subjectId: string; chargedAt: string; previous: string | null; at: string }>(
    `UPDATE login_guards SET failed_logins = max(failed_logins - 1, 0), pending_logins = max(pending_logins - 1, 0),
       last_failure_at = CASE WHEN last_failure_at = @chargedAt THEN @previous ELSE last_failure_at END, updated_at = @at
     WHERE subject_id = @subjectId`,
  );
  const settleFailure = db.prepare<{ subjectId: string; at: string; lock: number }>(
    `UPDATE login_guards SET last_failure_at = @at, updated_at = @at, pending_logins = max(pending_logins - 1, 0),
       locked_at = CASE WHEN @lock = 1 THEN coalesce(locked_at, @at) ELSE locked_at END
     WHERE subject_id = @subjectId`,
  );
  const clear = db.prepare<{ subjectId: string; at: string }>(
    `UPDATE login_guards SET failed_logins = max(pending_logins - 1, 0), pending_logins = max(pending_logins - 1, 0),
       last_failure_at = CASE WHEN pending_logins > 1 THEN last_failure_at END, locked_at = NULL, updated_at = @at
     WHERE subject_id = @subjectId`,
  );
  const setPolicy = db.prepare<{ subjectId: string; max: number; at: string }>(
    `INSERT INTO login_guards (subject_id, max_failed_logins, updated_at) VALUES (@subjectId, @max, @at)
     ON CONFLICT (subject_id) DO UPDATE SET max_failed_logins = @max, updated_at = @at`,
  );

  return {
    get: (subjectId) => get.get(subjectId) ?? null,
    charge: (subjectId, at) => void charge.run({ subjectId, at }),
    refund: (subjectId, chargedAt, previous, at) => void refund.run({ subjectId, chargedAt, previous, at }),
    settleFailure: (subjectId, at, lock) => void settleFailure.run({ subjectId, at, lock: lock ? 1 : 0 }),
    clear: (subjectId, at) => void clear.run({ subjectId, at }),
    setPolicy: (subjectId, max, at) => void setPolicy.run({ subjectId, max, at }),
  };
}
