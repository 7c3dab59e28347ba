/**
 * The one place where a password or PIN goes to an HSM for checking: every such call runs through
 * LoginGuard.attempt. SoftHSM2 (and p11-kit in front of it) never locks a PIN, so the guard does:
 * after three consecutive failures each further attempt waits out a doubling window (1 s up to
 * 5 min, see login-backoff.ts) and, when the subject's policy says so, the credentials lock until
 * an officer clears them with the SO PIN (UnlockKeyStore). A refused attempt is answered without
 * trying the password at all, so the answer cannot tell a right password from a wrong one.
 */
import type { OperationName } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyStoreRow, LoginGuardRow, Registry } from '../../registry';
import { AuditedFailure } from '../audit/audited-failure';
import type { AuditDetails, AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { retryAfterMs } from './login-backoff';

/** A cluster's kmsuser locks after this many consecutive failures unless the officer changes it. */
export const CLUSTER_MAX_FAILED_LOGINS = 10;

/** Whose credentials an attempt tries. */
export interface LoginSubject {
  /** The default store's id (its user PIN), or the cluster id (kmsuser and the SO PIN live on its tokens). */
  id: string;
  /** Names the subject in messages. */
  label: string;
  /**
   * A lockout can be set and cleared: a cluster bound to a key store. Not the default store (its SO
   * PIN was random and forgotten at initialization) nor a cluster without a store (UnlockKeyStore
   * names a key store).
   */
  lockable: boolean;
  defaultMaxFailedLogins: number;
}

export interface LoginStatus {
  failedLogins: number;
  maxFailedLogins: number;
  lockedOut: boolean;
}

export interface AttemptOptions {
  operation: OperationName;
  /** The resource the audit record names. */
  resourceId: string;
  /** UnlockKeyStore: a lockout does not refuse it (the back-off does), and the guard writes its SUCCESS record. */
  unlocking?: boolean;
}

interface Charge {
  chargedAt: string;
  previousFailureAt: string | null;
}

/** How long an attempt waits for the verdicts of attempts in flight before it is refused. */
const VERDICT_WAIT_MS = 10_000;
const VERDICT_POLL_MS = 50;
/** A charged attempt older than this never got its verdict (its process died): it stays a failure. */
const PENDING_STALE_MS = 30_000;

/** Attempts in flight bar this one; `backoff` is the refusal should their verdicts not come in time. */
class AwaitingVerdicts extends Error {
  constructor(readonly backoff: KmsError) {
    super(backoff.message);
  }
}

function freshPendingLogins(row: LoginGuardRow, now: Date): number {
  if (row.pendingLogins <= 0 || row.pendingSince === null) return 0;
  const since = Date.parse(row.pendingSince);
  return Number.isNaN(since) || now.getTime() - since > PENDING_STALE_MS ? 0 : row.pendingLogins;
}

/** What the HSM answers to a wrong password or PIN. */
const CREDENTIAL_REFUSALS: ReadonlySet<string> = new Set(['HsmError.PinIncorrect', 'HsmError.PinInvalid']);

export function keyStoreSubject(store: KeyStoreRow): LoginSubject {
  if (store.type === 'HSM_CLUSTER' && store.clusterId) return clusterSubjectOf(store.clusterId, store.id);
  return { id: store.id, label: `Key store ${store.id}`, lockable: false, defaultMaxFailedLogins: 0 };
}

export function clusterSubject(registry: Registry, clusterId: string): LoginSubject {
  return clusterSubjectOf(clusterId, registry.keyStores.getByClusterId(clusterId)?.id ?? null);
}

function clusterSubjectOf(clusterId: string, keyStoreId: string | null): LoginSubject {
  return {
    id: clusterId,
    label: keyStoreId ? `Key store ${keyStoreId} (cluster ${clusterId})` : `Cluster ${clusterId}`,
    lockable: keyStoreId !== null,
    defaultMaxFailedLogins: CLUSTER_MAX_FAILED_LOGINS,
  };
}

export class LoginGuard {
  constructor(
    private readonly context: ServiceContext,
    private readonly audit: AuditTrail,
  ) {}

  status(subject: LoginSubject): LoginStatus {
    const row = this.context.registry.loginGuards.get(subject.id);
    return {
      failedLogins: row?.failedLogins ?? 0,
      maxFailedLogins: row?.maxFailedLogins ?? subject.defaultMaxFailedLogins,
      lockedOut: (row?.lockedAt ?? null) !== null,
    };
  }

  /** Throws, reading only, when the next attempt would be refused (lets a caller fail before changing state). */
  refuseIfBarred(subject: LoginSubject, unlocking = false): void {
    try {
      this.bar(subject, unlocking);
    } catch (error) {
      // Only attempts still in flight stand in the way: attempt() waits for their verdict.
      if (!(error instanceof AwaitingVerdicts)) throw error;
    }
  }

  /**
   * Runs `check` (the calls that send the password or PIN to the HSMs) unless the subject is locked
   * or in back-off. The attempt is counted as failed before `check` runs; an accepted password
   * clears the count, a refused one keeps it (audited as FAILURE with the count, in one
   * transaction), and an attempt the HSM never judged (unreachable, crashed) is taken back.
   */
  async attempt<T>(subject: LoginSubject, request: RequestContext, options: AttemptOptions, check: () => Promise<T>): Promise<T> {
    const charge = await this.admitWhenJudged(subject, options.unlocking ?? false);
    let result: T;
    try {
      result = await check();
    } catch (error) {
      if (error instanceof KmsError && CREDENTIAL_REFUSALS.has(error.code)) throw this.refused(subject, request, options, error);
      this.context.registry.transaction(() =>
        this.context.registry.loginGuards.refund(subject.id, charge.chargedAt, charge.previousFailureAt, isoNow(this.context)),
      );
      throw error;
    }
    this.accepted(subject, request, options);
    return result;
  }

  setPolicy(subject: LoginSubject, maxFailedLogins: number): void {
    this.context.registry.loginGuards.setPolicy(subject.id, maxFailedLogins, isoNow(this.context));
  }

  /**
   * Admits the attempt once the attempts in flight that alone would bar it (charged, not yet judged
   * by the HSM, in this process or another) have their verdict: right passwords clear the count and
   * let it through, wrong ones leave the back-off to refuse it. Waits at most VERDICT_WAIT_MS.
   */
  private async admitWhenJudged(subject: LoginSubject, unlocking: boolean): Promise<Charge> {
    const deadline = performance.now() + VERDICT_WAIT_MS;
    for (;;) {
      try {
        return this.admit(subject, unlocking);
      } catch (error) {
        if (!(error instanceof AwaitingVerdicts)) throw error;
        if (performance.now() >= deadline) throw error.backoff;
      }
      await new Promise((resolve) => setTimeout(resolve, VERDICT_POLL_MS));
    }
  }

  /** Refuses or charges in one IMMEDIATE transaction, so parallel callers and processes are counted one by one. */
  private admit(subject: LoginSubject, unlocking: boolean): Charge {
    const { registry } = this.context;
    return registry.transaction(() => {
      const row = this.bar(subject, unlocking);
      const chargedAt = isoNow(this.context);
      registry.loginGuards.charge(subject.id, chargedAt);
      return { chargedAt, previousFailureAt: row?.lastFailureAt ?? null };
    });
  }

  private bar(subject: LoginSubject, unlocking: boolean) {
    const row = this.context.registry.loginGuards.get(subject.id);
    if (!row) return null;
    if (row.lockedAt !== null && !unlocking) {
      throw new KmsError(
        'HsmError.PinLocked',
        `${subject.label} is locked after ${row.failedLogins} failed logins; the password was not tried. An officer must clear the lockout with UnlockKeyStore and the SO PIN.`,
      );
    }
    const now = this.context.now();
    const waitMs = retryAfterMs(row.failedLogins, row.lastFailureAt, now);
    if (waitMs > 0) {
      const backoff = new KmsError(
        'Throttling.LoginBackoff',
        `Too many failed logins for ${subject.label}; the password was not tried. Wait ${Math.ceil(waitMs / 1000)} s before the next attempt.`,
      );
      const pending = freshPendingLogins(row, now);
      if (pending > 0 && retryAfterMs(row.failedLogins - pending, row.lastFailureAt, now) === 0) throw new AwaitingVerdicts(backoff);
      throw backoff;
    }
    return row;
  }

  private refused(subject: LoginSubject, request: RequestContext, options: AttemptOptions, error: KmsError): AuditedFailure {
    const { registry } = this.context;
    // Filled in inside the transaction, before the record is appended (recordFailedChange appends after the change).
    const details: AuditDetails = {};
    let lockedNow = false;
    this.audit.recordFailedChange(request, { operation: options.operation, resourceId: options.resourceId, details }, error.code, () => {
      const row = registry.loginGuards.get(subject.id);
      const failed = row?.failedLogins ?? 1;
      const max = row?.maxFailedLogins ?? subject.defaultMaxFailedLogins;
      const wasLocked = (row?.lockedAt ?? null) !== null;
      const lock = subject.lockable && max > 0 && failed >= max;
      registry.loginGuards.settleFailure(subject.id, isoNow(this.context), lock);
      lockedNow = lock && !wasLocked;
      details.FailedLogins = failed;
      details.LockedOut = lock || wasLocked;
    });
    const suffix = lockedNow
      ? ` ${subject.label} is now locked after ${String(details.FailedLogins)} failed logins; an officer must clear it with UnlockKeyStore and the SO PIN.`
      : '';
    return new AuditedFailure(error, `${error.message}${suffix}`);
  }

  private accepted(subject: LoginSubject, request: RequestContext, options: AttemptOptions): void {
    const { registry } = this.context;
    const clear = (): void => registry.loginGuards.clear(subject.id, isoNow(this.context));
    registry.transaction(() => {
      const row = registry.loginGuards.get(subject.id);
      // Only judged failures: this attempt's own charge and the others still in flight are not.
      const cleared = Math.max(0, (row?.failedLogins ?? 1) - (row?.pendingLogins ?? 1));
      const unlocked = (row?.lockedAt ?? null) !== null;
      if (!options.unlocking && cleared === 0 && !unlocked) {
        clear();
        return;
      }
      const details: AuditDetails = options.unlocking
        ? { FailedLoginsCleared: cleared, Unlocked: unlocked }
        : { Step: 'LoginAccepted', FailedLoginsCleared: cleared };
      this.audit.recordChange(request, { operation: options.operation, resourceId: options.resourceId, details }, clear);
    });
  }
}
