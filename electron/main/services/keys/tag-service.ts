import { KmsError } from '../../../../shared/errors';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import type { ServiceContext } from '../service-context';
import type { KeyResolver } from './key-resolver';

/** How many tags one key may carry, as in the cloud service. */
export const MAX_TAGS_PER_KEY = 20;

type Tag = { TagKey: string; TagValue: string };

/** Tags of keys: TagKey → TagValue per key; TagResource adds or overwrites. */
export class TagService {
  constructor(
    private readonly context: ServiceContext,
    private readonly resolver: KeyResolver,
    private readonly audit: AuditTrail,
  ) {}

  tag(keyIdentifier: string, tags: readonly Tag[], request: RequestContext): { KeyId: string } {
    const key = this.resolver.resolve(keyIdentifier);
    const { tags: repository } = this.context.registry;
    const tagKeys = tags.map((tag) => tag.TagKey);
    if (new Set(tagKeys).size !== tagKeys.length) throw new KmsError('InvalidParameter', 'Tags repeats a TagKey.');
    this.audit.recordChange(request, { operation: 'TagResource', resourceId: key.id, details: { TagKeys: tagKeys.join(',') } }, () => {
      for (const tag of tags) repository.set({ keyId: key.id, tagKey: tag.TagKey, tagValue: tag.TagValue });
      // Checked after writing, inside the transaction: overwrites do not count twice, and a refusal rolls back.
      if (repository.listByKey(key.id).length > MAX_TAGS_PER_KEY) {
        throw new KmsError('InvalidParameter', `A key carries at most ${MAX_TAGS_PER_KEY} tags.`);
      }
    });
    return { KeyId: key.id };
  }

  untag(keyIdentifier: string, tagKeys: readonly string[], request: RequestContext): { KeyId: string } {
    const key = this.resolver.resolve(keyIdentifier);
    this.audit.recordChange(request, { operation: 'UntagResource', resourceId: key.id, details: { TagKeys: tagKeys.join(',') } }, () => {
      for (const tagKey of tagKeys) this.context.registry.tags.remove(key.id, tagKey);
    });
    return { KeyId: key.id };
  }

  list(keyIdentifier: string): { KeyId: string; Tags: Tag[] } {
    const key = this.resolver.resolve(keyIdentifier);
    return {
      KeyId: key.id,
      Tags: this.context.registry.tags.listByKey(key.id).map((tag) => ({ TagKey: tag.tagKey, TagValue: tag.tagValue })),
    };
  }
}
