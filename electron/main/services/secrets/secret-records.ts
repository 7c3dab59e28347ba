import { CURRENT_STAGE, type SecretMetadata, type SecretVersionEntry } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { SecretRow, SecretTagRow, SecretVersionInfo } from '../../registry';
import { apiDate } from '../api-date';
import type { ArnScope } from '../keys/key-metadata';
import type { ServiceContext } from '../service-context';
import { stageChanges, stagesByVersion, type StageMap } from './secret-stages';

/** How many tags one secret may carry, as for keys. */
export const MAX_TAGS_PER_SECRET = 20;

/** Finding secrets and their stages in the registry, and presenting them; shared by the secrets services. */
export class SecretRecords {
  constructor(
    readonly context: ServiceContext,
    private readonly scope: ArnScope,
  ) {}

  arn(name: string): string {
    return `acs:kms:${this.scope.region}:${this.scope.owner}:secret/${name}`;
  }

  require(name: string): SecretRow {
    const secret = this.context.registry.secrets.getByName(name);
    if (!secret) throw new KmsError('NotFound.Secret', `Secret ${name} does not exist.`);
    return secret;
  }

  /** Read again by id (inside a transaction): another window or the CLI may have changed or destroyed it. */
  requireFresh(secret: SecretRow): SecretRow {
    const fresh = this.context.registry.secrets.get(secret.id);
    if (!fresh) throw new KmsError('NotFound.Secret', `Secret ${secret.name} does not exist.`);
    return fresh;
  }

  /** Values, stages and settings of a secret scheduled for deletion are out of reach until RestoreSecret. */
  requireEnabled(secret: SecretRow): SecretRow {
    if (secret.secretState !== 'Enabled') {
      throw new KmsError('Forbidden.SecretState', `Secret ${secret.name} is scheduled for deletion at ${apiDate(secret.plannedDeleteTime)}; restore it first (RestoreSecret).`);
    }
    return secret;
  }

  requireVersion(secret: SecretRow, versionId: string): SecretVersionInfo {
    const version = this.context.registry.secretVersions.get(secret.id, versionId);
    if (!version) throw new KmsError('NotFound.SecretVersion', `Secret ${secret.name} has no version ${versionId}.`);
    return version;
  }

  stageMap(secretId: string): Map<string, string> {
    return new Map(this.context.registry.secretVersions.stages(secretId).map((row) => [row.stage, row.versionId]));
  }

  /** Writes the difference between two stage maps. */
  applyStages(secretId: string, before: StageMap, after: StageMap): void {
    const versions = this.context.registry.secretVersions;
    const { set, removed } = stageChanges(before, after);
    for (const stage of removed) versions.removeStage(secretId, stage);
    for (const [stage, versionId] of set) versions.setStage(secretId, stage, versionId);
  }

  /** Every version with its stages, newest first; versions without a stage only when asked. */
  versionEntries(secretId: string, includeUnstaged: boolean): SecretVersionEntry[] {
    const byVersion = stagesByVersion(this.stageMap(secretId));
    return this.context.registry.secretVersions
      .listBySecret(secretId)
      .map((version) => ({ VersionId: version.versionId, VersionStages: byVersion.get(version.versionId) ?? [], CreateTime: apiDate(version.createdAt) }))
      .filter((entry) => includeUnstaged || entry.VersionStages.length > 0);
  }

  metadata(secret: SecretRow, currentVersionId: string | null, tags: readonly SecretTagRow[]): SecretMetadata {
    return {
      Arn: this.arn(secret.name),
      SecretName: secret.name,
      Description: secret.description,
      EncryptionKeyId: secret.encryptionKeyId,
      SecretState: secret.secretState,
      CreateTime: apiDate(secret.createdAt),
      UpdateTime: apiDate(secret.updatedAt),
      PlannedDeleteTime: apiDate(secret.plannedDeleteTime),
      CurrentVersionId: currentVersionId ?? '',
      Tags: tags.map((tag) => ({ TagKey: tag.tagKey, TagValue: tag.tagValue })),
    };
  }

  describe(secret: SecretRow): SecretMetadata {
    return this.metadata(secret, this.stageMap(secret.id).get(CURRENT_STAGE) ?? null, this.context.registry.secrets.listTags(secret.id));
  }
}
