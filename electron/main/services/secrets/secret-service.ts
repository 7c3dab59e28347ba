import { randomUUID, timingSafeEqual } from 'node:crypto';
import { CURRENT_STAGE, MAX_UNSTAGED_SECRET_VERSIONS, type OperationResult, type ParsedInput } from '../../../../shared/contract';
import { errorCodeOf, KmsError } from '../../../../shared/errors';
import { RegistryConstraintError, type SecretRow, type SecretVersionRow } from '../../registry';
import { apiDate } from '../api-date';
import type { AuditDetails, AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow } from '../service-context';
import { decodeSecretData, encodeSecretData } from './secret-envelope';
import type { SecretRecords } from './secret-records';
import type { SecretSealer } from './secret-sealer';
import { stagesAfterPut, stagesByVersion } from './secret-stages';
import type { SecretsKey } from './secrets-key';

/**
 * Values of secrets: CreateSecret, PutSecretValue and GetSecretValue. The HSM work (data key,
 * wrapping) happens first; the rows, their stages and the audit record then commit in one
 * transaction that checks again what the HSM work relied on.
 */
export class SecretService {
  constructor(
    private readonly records: SecretRecords,
    private readonly sealer: SecretSealer,
    private readonly secretsKey: SecretsKey,
    private readonly audit: AuditTrail,
  ) {}

  private get registry() {
    return this.records.context.registry;
  }

  async create(input: ParsedInput<'CreateSecret'>, request: RequestContext): Promise<OperationResult<'CreateSecret'>> {
    const value = encodeSecretData(input.SecretData, input.SecretDataType);
    try {
      const tagKeys = input.Tags.map((tag) => tag.TagKey);
      if (new Set(tagKeys).size !== tagKeys.length) throw new KmsError('InvalidParameter', 'Tags repeats a TagKey.');
      // Before the default key is made on first need: a refused name leaves nothing behind.
      if (this.registry.secrets.getByName(input.SecretName)) throw secretExists(input.SecretName);
      const cmk = await this.secretsKey.forNewSecret(input.EncryptionKeyId, request);
      const arn = this.records.arn(input.SecretName);
      const sealed = await this.sealer.seal(cmk, arn, input.VersionId, value);
      const now = isoNow(this.records.context);
      const secret: SecretRow = {
        id: randomUUID(),
        name: input.SecretName,
        description: input.Description,
        encryptionKeyId: cmk.key.id,
        secretState: 'Enabled',
        createdAt: now,
        updatedAt: now,
        plannedDeleteTime: null,
      };
      const details: AuditDetails = { VersionId: input.VersionId, EncryptionKeyId: cmk.key.id, DataType: input.SecretDataType, Tags: tagKeys.join(',') };
      this.audit.recordChange(request, { operation: 'CreateSecret', resourceId: arn, details }, () => {
        this.sealer.requireStillUsable(cmk.key.id);
        this.registry.secrets.insert(secret);
        this.registry.secretVersions.insert({ secretId: secret.id, versionId: input.VersionId, sequence: 1, dataType: input.SecretDataType, ...sealed, createdAt: now });
        this.registry.secretVersions.setStage(secret.id, CURRENT_STAGE, input.VersionId);
        for (const tag of input.Tags) this.registry.secrets.setTag(secret.id, { tagKey: tag.TagKey, tagValue: tag.TagValue });
      });
      return { Arn: arn, SecretName: input.SecretName, VersionId: input.VersionId };
    } catch (error) {
      // Another process took the name between the check and the insert.
      if (error instanceof RegistryConstraintError && error.kind === 'unique') throw secretExists(input.SecretName);
      throw error;
    } finally {
      value.fill(0);
    }
  }

  /** Audited as a use (group commit), like Decrypt: the record names the secret and version, never the value. */
  async getValue(input: ParsedInput<'GetSecretValue'>, request: RequestContext): Promise<OperationResult<'GetSecretValue'>> {
    let resource = input.SecretName;
    const details: AuditDetails = {};
    try {
      const secret = this.records.requireEnabled(this.records.require(input.SecretName));
      resource = this.records.arn(secret.name);
      const stages = this.records.stageMap(secret.id);
      const versionId = input.VersionId ?? stages.get(input.VersionStage ?? CURRENT_STAGE);
      if (versionId === undefined) throw new KmsError('NotFound.SecretVersion', `Secret ${secret.name} has no version with stage ${input.VersionStage ?? CURRENT_STAGE}.`);
      details.VersionId = versionId;
      const version = this.requireStoredVersion(secret, versionId);
      const value = await this.sealer.open(this.sealer.secretKey(secret), resource, version);
      let data: string;
      try {
        data = decodeSecretData(value, version.dataType);
      } finally {
        value.fill(0);
      }
      this.audit.recordUsage(request, { operation: 'GetSecretValue', resourceId: resource, details }, null);
      return {
        SecretName: secret.name,
        VersionId: versionId,
        VersionStages: stagesByVersion(stages).get(versionId) ?? [],
        SecretData: data,
        SecretDataType: version.dataType,
        CreateTime: apiDate(version.createdAt),
      };
    } catch (error) {
      this.audit.recordUsage(request, { operation: 'GetSecretValue', resourceId: resource, details }, errorCodeOf(error) ?? 'InternalFailure');
      throw error;
    }
  }

  async putValue(input: ParsedInput<'PutSecretValue'>, request: RequestContext): Promise<OperationResult<'PutSecretValue'>> {
    const value = encodeSecretData(input.SecretData, input.SecretDataType);
    try {
      const secret = this.records.requireEnabled(this.records.require(input.SecretName));
      const arn = this.records.arn(secret.name);
      const existing = this.registry.secretVersions.get(secret.id, input.VersionId);
      if (existing) return await this.retried(secret, arn, existing, input, value, request);
      // Refusals that need no HSM come first; all of them are checked again in the transaction.
      const before = this.records.stageMap(secret.id);
      requireExpectedCurrent(before, input.ExpectedCurrentVersionId);
      stagesAfterPut(before, input.VersionId, input.VersionStages);
      const cmk = this.sealer.cmk(secret.encryptionKeyId);
      const sealed = await this.sealer.seal(cmk, arn, input.VersionId, value);
      const details: AuditDetails = { VersionId: input.VersionId, VersionStages: input.VersionStages.join(','), DataType: input.SecretDataType };
      const stages = this.audit.recordChange(request, { operation: 'PutSecretValue', resourceId: arn, details }, () => {
        const fresh = this.records.requireEnabled(this.records.requireFresh(secret));
        if (fresh.encryptionKeyId !== cmk.key.id) throw new KmsError('Conflict.SecretVersion', `The CMK of secret ${secret.name} changed meanwhile; put the value again.`);
        this.sealer.requireStillUsable(cmk.key.id);
        if (this.registry.secretVersions.get(secret.id, input.VersionId)) {
          throw new KmsError('AlreadyExists.SecretVersion', `Version ${input.VersionId} of secret ${secret.name} was stored meanwhile; retry to compare its data.`);
        }
        const current = this.records.stageMap(secret.id);
        requireExpectedCurrent(current, input.ExpectedCurrentVersionId);
        const next = stagesAfterPut(current, input.VersionId, input.VersionStages);
        const now = isoNow(this.records.context);
        const sequence = this.registry.secretVersions.nextSequence(secret.id);
        this.registry.secretVersions.insert({ secretId: secret.id, versionId: input.VersionId, sequence, dataType: input.SecretDataType, ...sealed, createdAt: now });
        this.records.applyStages(secret.id, current, next);
        details.VersionsDestroyed = this.registry.secretVersions.pruneUnstaged(secret.id, MAX_UNSTAGED_SECRET_VERSIONS).length;
        this.registry.secrets.update(secret.id, { updatedAt: now });
        return stagesByVersion(next).get(input.VersionId) ?? [];
      });
      return { SecretName: secret.name, VersionId: input.VersionId, VersionStages: stages };
    } finally {
      value.fill(0);
    }
  }

  /**
   * A VersionId the secret has: the same data (and type) is a retry and gets the same answer with
   * nothing changed; other data is refused. The stored value is opened and compared here, in
   * constant time: no hash of a value is ever kept.
   */
  private async retried(
    secret: SecretRow,
    arn: string,
    existing: SecretVersionRow,
    input: ParsedInput<'PutSecretValue'>,
    value: Buffer,
    request: RequestContext,
  ): Promise<OperationResult<'PutSecretValue'>> {
    const stored = await this.sealer.open(this.sealer.secretKey(secret), arn, existing);
    let same: boolean;
    try {
      same = existing.dataType === input.SecretDataType && stored.length === value.length && timingSafeEqual(stored, value);
    } finally {
      stored.fill(0);
    }
    if (!same) throw new KmsError('AlreadyExists.SecretVersion', `Secret ${secret.name} already has a version ${input.VersionId} with other data.`);
    this.audit.recordEvent(request, { operation: 'PutSecretValue', resourceId: arn, details: { VersionId: input.VersionId, Unchanged: true } });
    const stages = stagesByVersion(this.records.stageMap(secret.id)).get(input.VersionId) ?? [];
    return { SecretName: secret.name, VersionId: input.VersionId, VersionStages: stages };
  }

  private requireStoredVersion(secret: SecretRow, versionId: string): SecretVersionRow {
    const version = this.registry.secretVersions.get(secret.id, versionId);
    if (!version) throw new KmsError('NotFound.SecretVersion', `Secret ${secret.name} has no version ${versionId}.`);
    return version;
  }
}

/** ExpectedCurrentVersionId: a check-and-set on where ACSCurrent is. */
function requireExpectedCurrent(stages: ReadonlyMap<string, string>, expected: string | undefined): void {
  if (expected === undefined) return;
  const current = stages.get(CURRENT_STAGE);
  if (current !== expected) {
    throw new KmsError('Conflict.SecretVersion', `${CURRENT_STAGE} is on version ${current ?? '(none)'}, not on ${expected}: someone changed the secret meanwhile.`);
  }
}

function secretExists(name: string): KmsError {
  return new KmsError('AlreadyExists.Secret', `Secret ${name} already exists (a secret scheduled for deletion keeps its name until it is destroyed).`);
}
