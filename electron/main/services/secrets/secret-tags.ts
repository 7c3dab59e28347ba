import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { KmsError } from '../../../../shared/errors';
import { MAX_TAGS_PER_SECRET, type SecretRecords } from './secret-records';

/** Tags of secrets (TagResource/UntagResource/ListResourceTags with SecretName). */
export class SecretTags {
  constructor(
    private readonly records: SecretRecords,
    private readonly audit: AuditTrail,
  ) {}

  tag(name: string, tags: readonly { TagKey: string; TagValue: string }[], request: RequestContext): { SecretName: string } {
    const secret = this.records.require(name);
    const tagKeys = tags.map((tag) => tag.TagKey);
    if (new Set(tagKeys).size !== tagKeys.length) throw new KmsError('InvalidParameter', 'Tags repeats a TagKey.');
    const { secrets } = this.records.context.registry;
    this.audit.recordChange(request, { operation: 'TagResource', resourceId: this.records.arn(name), details: { TagKeys: tagKeys.join(',') } }, () => {
      const fresh = this.records.requireFresh(secret);
      for (const tag of tags) secrets.setTag(fresh.id, { tagKey: tag.TagKey, tagValue: tag.TagValue });
      // Checked after writing, inside the transaction: overwrites do not count twice, and a refusal rolls back.
      if (secrets.listTags(fresh.id).length > MAX_TAGS_PER_SECRET) throw new KmsError('InvalidParameter', `A secret carries at most ${MAX_TAGS_PER_SECRET} tags.`);
    });
    return { SecretName: secret.name };
  }

  untag(name: string, tagKeys: readonly string[], request: RequestContext): { SecretName: string } {
    const secret = this.records.require(name);
    this.audit.recordChange(request, { operation: 'UntagResource', resourceId: this.records.arn(name), details: { TagKeys: tagKeys.join(',') } }, () => {
      const fresh = this.records.requireFresh(secret);
      for (const tagKey of tagKeys) this.records.context.registry.secrets.removeTag(fresh.id, tagKey);
    });
    return { SecretName: secret.name };
  }

  list(name: string): { SecretName: string; Tags: { TagKey: string; TagValue: string }[] } {
    const secret = this.records.require(name);
    return { SecretName: secret.name, Tags: this.records.context.registry.secrets.listTags(secret.id).map((tag) => ({ TagKey: tag.tagKey, TagValue: tag.tagValue })) };
  }
}
