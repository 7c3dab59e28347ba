import type { AuditDetails, AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow } from '../service-context';
import type { SecretRecords } from './secret-records';

/** Raised inside the transaction to roll it back (and its audit record) when a secret is no longer due. */
class NoLongerDue extends Error {}

/**
 * The maintenance sweep's part for secrets: a secret whose recovery window has ended is destroyed
 * (its rows, sealed values and wrapped data keys deleted; the name free again), audited as
 * DestroySecret. No HSM is needed: without its rows nothing can be opened.
 */
export class SecretSweep {
  constructor(
    private readonly records: SecretRecords,
    private readonly audit: AuditTrail,
  ) {}

  /** Returns the names of the secrets destroyed. */
  destroyDue(request: RequestContext): string[] {
    const { registry } = this.records.context;
    const destroyed: string[] = [];
    for (const secret of registry.secrets.listDueForDeletion(isoNow(this.records.context))) {
      const details: AuditDetails = { PlannedDeleteTime: secret.plannedDeleteTime ?? '', VersionsDestroyed: 0 };
      try {
        this.audit.recordChange(request, { operation: 'DestroySecret', resourceId: this.records.arn(secret.name), details }, () => {
          const fresh = registry.secrets.get(secret.id);
          // Restored or destroyed by another process since the list was read.
          if (!fresh || fresh.plannedDeleteTime !== secret.plannedDeleteTime) throw new NoLongerDue();
          details.VersionsDestroyed = registry.secretVersions.listBySecret(secret.id).length;
          registry.secrets.delete(secret.id);
        });
        destroyed.push(secret.name);
      } catch (error) {
        if (!(error instanceof NoLongerDue)) throw error;
      }
    }
    return destroyed;
  }
}
