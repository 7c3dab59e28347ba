import { MAX_UNSTAGED_SECRET_VERSIONS, type OperationResult, type ParsedInput } from '../../../../shared/contract';
import type { AuditDetails, AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow } from '../service-context';
import type { SecretRecords } from './secret-records';
import { stagesAfterMove } from './secret-stages';

/** UpdateSecretVersionStage: needs no HSM, so it is read, decided and written in one transaction. */
export class SecretStageService {
  constructor(
    private readonly records: SecretRecords,
    private readonly audit: AuditTrail,
  ) {}

  update(input: ParsedInput<'UpdateSecretVersionStage'>, request: RequestContext): OperationResult<'UpdateSecretVersionStage'> {
    const secret = this.records.require(input.SecretName);
    const arn = this.records.arn(secret.name);
    const details: AuditDetails = {
      VersionStage: input.VersionStage,
      ...(input.RemoveFromVersion === undefined ? {} : { RemoveFromVersion: input.RemoveFromVersion }),
      ...(input.MoveToVersion === undefined ? {} : { MoveToVersion: input.MoveToVersion }),
    };
    this.audit.recordChange(request, { operation: 'UpdateSecretVersionStage', resourceId: arn, details }, () => {
      const fresh = this.records.requireEnabled(this.records.requireFresh(secret));
      for (const versionId of [input.RemoveFromVersion, input.MoveToVersion]) if (versionId !== undefined) this.records.requireVersion(fresh, versionId);
      const before = this.records.stageMap(fresh.id);
      const after = stagesAfterMove(before, { stage: input.VersionStage, removeFromVersion: input.RemoveFromVersion, moveToVersion: input.MoveToVersion });
      this.records.applyStages(fresh.id, before, after);
      // A version that lost its last stage joins the unstaged ones, of which only the newest are kept.
      details.VersionsDestroyed = this.records.context.registry.secretVersions.pruneUnstaged(fresh.id, MAX_UNSTAGED_SECRET_VERSIONS).length;
      this.records.context.registry.secrets.update(fresh.id, { updatedAt: isoNow(this.records.context) });
    });
    return { SecretName: secret.name, VersionStage: input.VersionStage, VersionId: input.MoveToVersion ?? input.RemoveFromVersion ?? '' };
  }
}
