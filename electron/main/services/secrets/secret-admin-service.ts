import { KmsError } from '../../../../shared/errors';
import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import type { SecretListFilter, SecretRow } from '../../registry';
import { apiDate } from '../api-date';
import type { AuditDetails, AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow } from '../service-context';
import type { SecretRecords } from './secret-records';
import type { SecretSealer } from './secret-sealer';

const DAY_MS = 86_400_000;
const DEFAULT_RECOVERY_WINDOW_DAYS = 30;

/** Metadata and lifecycle of secrets: lists, DescribeSecret, UpdateSecret, DeleteSecret, RestoreSecret. */
export class SecretAdminService {
  constructor(
    private readonly records: SecretRecords,
    private readonly sealer: SecretSealer,
    private readonly audit: AuditTrail,
  ) {}

  private get registry() {
    return this.records.context.registry;
  }

  list(input: ParsedInput<'ListSecrets'>): OperationResult<'ListSecrets'> {
    const page = this.registry.secrets.list({ filters: input.Filters.map(toListFilter), pageNumber: input.PageNumber, pageSize: input.PageSize });
    return {
      SecretList: page.rows.map((row) => this.records.metadata(row, row.currentVersionId, row.tags)),
      TotalCount: page.totalCount,
      PageNumber: input.PageNumber,
      PageSize: input.PageSize,
    };
  }

  describe(input: ParsedInput<'DescribeSecret'>): OperationResult<'DescribeSecret'> {
    const secret = this.records.require(input.SecretName);
    return { ...this.records.describe(secret), VersionIdsToStages: this.records.versionEntries(secret.id, true) };
  }

  listVersionIds(input: ParsedInput<'ListSecretVersionIds'>): OperationResult<'ListSecretVersionIds'> {
    const secret = this.records.require(input.SecretName);
    const entries = this.records.versionEntries(secret.id, input.IncludeDeprecated);
    const start = (input.PageNumber - 1) * input.PageSize;
    return {
      SecretName: secret.name,
      VersionIds: entries.slice(start, start + input.PageSize),
      TotalCount: entries.length,
      PageNumber: input.PageNumber,
      PageSize: input.PageSize,
    };
  }

  /**
   * A new CMK re-wraps every version's data key (unwrapped under the old CMK and wrapped under the
   * new one in the HSMs; values are never opened); all rows change in one transaction with the
   * audit record, which refuses if a version came or went meanwhile.
   */
  async update(input: ParsedInput<'UpdateSecret'>, request: RequestContext): Promise<OperationResult<'UpdateSecret'>> {
    const secret = this.records.requireEnabled(this.records.require(input.SecretName));
    const arn = this.records.arn(secret.name);
    const target = input.EncryptionKeyId === undefined ? null : this.sealer.cmk(input.EncryptionKeyId);
    const moving = target !== null && target.key.id !== secret.encryptionKeyId;
    const rewrapped = new Map<string, Buffer>();
    if (moving) {
      const from = this.sealer.secretKey(secret);
      for (const version of this.registry.secretVersions.listWithBlobs(secret.id)) {
        rewrapped.set(version.versionId, await this.sealer.rewrap(version.wrappedKey, from, target, arn, version.versionId));
      }
    }
    const encryptionKeyId = moving ? target.key.id : secret.encryptionKeyId;
    const details: AuditDetails = { EncryptionKeyId: encryptionKeyId, PreviousEncryptionKeyId: secret.encryptionKeyId, DescriptionChanged: input.Description !== undefined, VersionsRewrapped: rewrapped.size };
    this.audit.recordChange(request, { operation: 'UpdateSecret', resourceId: arn, details }, () => {
      const fresh = this.records.requireEnabled(this.records.requireFresh(secret));
      if (moving) {
        const versionIds = this.registry.secretVersions.listBySecret(secret.id).map((version) => version.versionId);
        if (fresh.encryptionKeyId !== secret.encryptionKeyId || versionIds.length !== rewrapped.size || versionIds.some((id) => !rewrapped.has(id))) {
          throw new KmsError('Conflict.SecretVersion', `Secret ${secret.name} changed while its data keys were re-wrapped; nothing was changed, try again.`);
        }
        this.sealer.requireStillUsable(encryptionKeyId);
        for (const [versionId, wrappedKey] of rewrapped) this.registry.secretVersions.updateWrappedKey(secret.id, versionId, wrappedKey);
      }
      this.registry.secrets.update(secret.id, { encryptionKeyId, description: input.Description, updatedAt: isoNow(this.records.context) });
    });
    return { Arn: arn, SecretName: secret.name, EncryptionKeyId: encryptionKeyId };
  }

  /** Schedules the destruction after the recovery window, or (ForceDeleteWithoutRecovery) destroys the secret now. */
  delete(input: ParsedInput<'DeleteSecret'>, request: RequestContext): OperationResult<'DeleteSecret'> {
    const secret = this.records.require(input.SecretName);
    const arn = this.records.arn(secret.name);
    const now = isoNow(this.records.context);
    if (input.ForceDeleteWithoutRecovery) {
      const details: AuditDetails = { ForceDeleteWithoutRecovery: true, VersionsDestroyed: 0 };
      this.audit.recordChange(request, { operation: 'DeleteSecret', resourceId: arn, details }, () => {
        const fresh = this.records.requireFresh(secret);
        details.VersionsDestroyed = this.registry.secretVersions.listBySecret(fresh.id).length;
        this.registry.secrets.delete(fresh.id);
      });
      return { Arn: arn, SecretName: secret.name, PlannedDeleteTime: apiDate(now) };
    }
    const days = input.RecoveryWindowInDays ?? DEFAULT_RECOVERY_WINDOW_DAYS;
    const plannedDeleteTime = new Date(Date.parse(now) + days * DAY_MS).toISOString();
    this.audit.recordChange(request, { operation: 'DeleteSecret', resourceId: arn, details: { RecoveryWindowInDays: days } }, () => {
      this.records.requireEnabled(this.records.requireFresh(secret));
      this.registry.secrets.update(secret.id, { secretState: 'PendingDeletion', plannedDeleteTime, updatedAt: now });
    });
    return { Arn: arn, SecretName: secret.name, PlannedDeleteTime: apiDate(plannedDeleteTime) };
  }

  restore(input: ParsedInput<'RestoreSecret'>, request: RequestContext): OperationResult<'RestoreSecret'> {
    const secret = this.records.require(input.SecretName);
    const arn = this.records.arn(secret.name);
    this.audit.recordChange(request, { operation: 'RestoreSecret', resourceId: arn }, () => {
      const fresh = this.records.requireFresh(secret);
      const now = isoNow(this.records.context);
      if (fresh.secretState !== 'PendingDeletion') throw new KmsError('Forbidden.SecretState', `Secret ${secret.name} is not scheduled for deletion.`);
      // Once due, the sweep may be destroying it: too late to restore, as for keys.
      if (fresh.plannedDeleteTime !== null && fresh.plannedDeleteTime <= now) {
        throw new KmsError('Forbidden.SecretState', `Secret ${secret.name} was due for deletion at ${apiDate(fresh.plannedDeleteTime)}; it can no longer be restored.`);
      }
      this.registry.secrets.update(secret.id, { secretState: 'Enabled', plannedDeleteTime: null, updatedAt: now });
    });
    return { Arn: arn, SecretName: secret.name };
  }
}

function toListFilter(filter: ParsedInput<'ListSecrets'>['Filters'][number]): SecretListFilter {
  if (filter.Key === 'Tag') {
    return {
      key: 'Tag',
      values: filter.Values.map((value) => {
        const split = value.indexOf('=');
        return split < 0 ? { tagKey: value, tagValue: null } : { tagKey: value.slice(0, split), tagValue: value.slice(split + 1) };
      }),
    };
  }
  if (filter.Key === 'SecretState') {
    const states = filter.Values.filter((value): value is SecretRow['secretState'] => value === 'Enabled' || value === 'PendingDeletion');
    if (states.length !== filter.Values.length) throw new KmsError('InvalidParameter', 'The SecretState filter takes Enabled or PendingDeletion.');
    return { key: 'SecretState', values: states };
  }
  return { key: 'NamePrefix', values: filter.Values };
}
