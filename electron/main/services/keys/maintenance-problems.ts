import { errorCodeOf } from '../../../../shared/errors';
import type { AuditTrail, MaintenanceEvent } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';

/** Told of each new maintenance problem, in words fit for a log (no secrets: codes and ids only). */
export type MaintenanceProblemSink = (message: string) => void;

/**
 * What maintenance could not do, reported instead of swallowed: each failure is logged and audited
 * once, when it first appears or its code changes, and forgotten when the work succeeds, so a store
 * that stays broken for a day does not write a record every minute.
 */
export class MaintenanceProblems {
  private readonly open = new Map<string, string>();

  constructor(
    private readonly audit: AuditTrail,
    private readonly sink: MaintenanceProblemSink,
  ) {}

  failed(request: RequestContext, work: MaintenanceEvent, resourceId: string, error: unknown): void {
    const code = errorCodeOf(error) ?? 'InternalFailure';
    const key = `${work}\u0000${resourceId}`;
    if (this.open.get(key) === code) return;
    this.open.set(key, code);
    const what = resourceId ? `${work} of ${resourceId}` : work;
    this.sink(`maintenance: ${what} failed with ${code}; retried every round until it succeeds.`);
    try {
      this.audit.recordFailedEvent(request, { operation: work, resourceId }, code);
    } catch {
      // The registry itself is failing: the log line above is all that can be kept; retried next time.
      this.open.delete(key);
    }
  }

  solved(work: MaintenanceEvent, resourceId: string): void {
    this.open.delete(`${work}\u0000${resourceId}`);
  }
}
